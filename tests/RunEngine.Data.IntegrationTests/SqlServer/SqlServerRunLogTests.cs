using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerRunLogTests(SqlServerFixture fixture) : RunLogContract<SqlServerFixture>(fixture);
