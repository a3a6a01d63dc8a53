using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryAtomicCycleTests(SqliteMemoryFixture fixture) : AtomicCycleContract<SqliteMemoryFixture>(fixture);
