using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerClaimRepeatTests(SqlServerFixture fixture) : ClaimRepeatContract<SqlServerFixture>(fixture);
