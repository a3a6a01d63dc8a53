using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileCardStoryRunTests(SqliteFileFixture fixture) : CardStoryRunContract<SqliteFileFixture>(fixture);
