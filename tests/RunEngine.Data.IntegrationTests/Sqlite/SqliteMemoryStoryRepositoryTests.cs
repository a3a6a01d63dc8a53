using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryStoryRepositoryTests(SqliteMemoryFixture fixture) : StoryRepositoryContract<SqliteMemoryFixture>(fixture);
