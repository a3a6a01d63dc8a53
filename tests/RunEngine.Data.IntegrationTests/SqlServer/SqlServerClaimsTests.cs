using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerClaimsTests(SqlServerFixture fixture) : ClaimsContract<SqlServerFixture>(fixture);
