using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerReadmeWorkerLoopTests(SqlServerFixture fixture) : ReadmeWorkerLoopContract<SqlServerFixture>(fixture);
