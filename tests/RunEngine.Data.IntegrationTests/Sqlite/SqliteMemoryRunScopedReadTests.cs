using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryRunScopedReadTests(SqliteMemoryFixture fixture) : RunScopedReadContract<SqliteMemoryFixture>(fixture);
