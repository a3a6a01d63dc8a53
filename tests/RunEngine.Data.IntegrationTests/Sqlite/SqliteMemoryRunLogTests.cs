using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryRunLogTests(SqliteMemoryFixture fixture) : RunLogContract<SqliteMemoryFixture>(fixture);
