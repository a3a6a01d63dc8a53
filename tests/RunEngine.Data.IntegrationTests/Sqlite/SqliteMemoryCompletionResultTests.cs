using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryCompletionResultTests(SqliteMemoryFixture fixture) : CompletionResultContract<SqliteMemoryFixture>(fixture);
