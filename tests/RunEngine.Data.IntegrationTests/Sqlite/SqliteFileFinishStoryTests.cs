using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileFinishStoryTests(SqliteFileFixture fixture) : FinishStoryContract<SqliteFileFixture>(fixture);
