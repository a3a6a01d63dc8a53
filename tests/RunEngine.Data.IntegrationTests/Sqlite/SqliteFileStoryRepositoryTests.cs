using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileStoryRepositoryTests(SqliteFileFixture fixture) : StoryRepositoryContract<SqliteFileFixture>(fixture);
