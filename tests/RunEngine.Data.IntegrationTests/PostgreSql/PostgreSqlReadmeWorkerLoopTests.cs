using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlReadmeWorkerLoopTests(PostgreSqlFixture fixture) : ReadmeWorkerLoopContract<PostgreSqlFixture>(fixture);
