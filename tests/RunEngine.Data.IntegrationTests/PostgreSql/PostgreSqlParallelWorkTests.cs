using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlParallelWorkTests(PostgreSqlFixture fixture) : ParallelWorkContract<PostgreSqlFixture>(fixture);
