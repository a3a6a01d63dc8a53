using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileAtomicCycleTests(SqliteFileFixture fixture) : AtomicCycleContract<SqliteFileFixture>(fixture);
