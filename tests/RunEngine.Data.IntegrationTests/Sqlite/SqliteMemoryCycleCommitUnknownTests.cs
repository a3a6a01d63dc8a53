using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryCycleCommitUnknownTests(SqliteMemoryFixture fixture) : CycleCommitUnknownContract<SqliteMemoryFixture>(fixture);
