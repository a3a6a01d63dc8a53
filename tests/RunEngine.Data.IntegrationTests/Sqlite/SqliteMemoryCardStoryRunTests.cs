using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryCardStoryRunTests(SqliteMemoryFixture fixture) : CardStoryRunContract<SqliteMemoryFixture>(fixture);
