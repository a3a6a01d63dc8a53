using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedParallelWorkTests(PostgreSqlRunKeyedFixture fixture) : ParallelWorkContract<PostgreSqlRunKeyedFixture>(fixture);
