using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileCompletionResultTests(SqliteFileFixture fixture) : CompletionResultContract<SqliteFileFixture>(fixture);
