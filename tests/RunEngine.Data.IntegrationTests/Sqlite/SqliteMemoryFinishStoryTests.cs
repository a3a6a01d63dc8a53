using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryFinishStoryTests(SqliteMemoryFixture fixture) : FinishStoryContract<SqliteMemoryFixture>(fixture);
