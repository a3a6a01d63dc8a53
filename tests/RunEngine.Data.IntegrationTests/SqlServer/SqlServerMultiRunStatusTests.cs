using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerMultiRunStatusTests(SqlServerFixture fixture) : MultiRunStatusContract<SqlServerFixture>(fixture);
