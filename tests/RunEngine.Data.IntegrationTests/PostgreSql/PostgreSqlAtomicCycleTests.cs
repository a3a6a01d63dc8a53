using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlAtomicCycleTests(PostgreSqlFixture fixture) : AtomicCycleContract<PostgreSqlFixture>(fixture);
