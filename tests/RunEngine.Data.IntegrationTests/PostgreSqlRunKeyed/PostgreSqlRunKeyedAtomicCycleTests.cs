using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedAtomicCycleTests(PostgreSqlRunKeyedFixture fixture) : AtomicCycleContract<PostgreSqlRunKeyedFixture>(fixture);
