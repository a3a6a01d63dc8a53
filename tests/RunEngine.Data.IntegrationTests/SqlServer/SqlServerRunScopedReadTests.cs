using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerRunScopedReadTests(SqlServerFixture fixture) : RunScopedReadContract<SqlServerFixture>(fixture);
