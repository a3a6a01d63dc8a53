using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerRunScopedStatusTests(SqlServerFixture fixture) : RunScopedStatusContract<SqlServerFixture>(fixture);
