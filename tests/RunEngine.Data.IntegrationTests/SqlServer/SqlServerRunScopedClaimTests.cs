using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerRunScopedClaimTests(SqlServerFixture fixture) : RunScopedClaimContract<SqlServerFixture>(fixture);
