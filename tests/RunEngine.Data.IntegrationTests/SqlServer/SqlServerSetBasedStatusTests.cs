using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerSetBasedStatusTests(SqlServerFixture fixture) : SetBasedStatusContract<SqlServerFixture>(fixture);
