using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryRunScopedStatusTests(SqliteMemoryFixture fixture) : RunScopedStatusContract<SqliteMemoryFixture>(fixture);
