using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedReadmeWorkerLoopTests(PostgreSqlRunKeyedFixture fixture) : ReadmeWorkerLoopContract<PostgreSqlRunKeyedFixture>(fixture);
