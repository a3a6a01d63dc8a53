using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemorySingleRowChangeTests(SqliteMemoryFixture fixture) : SingleRowChangeContract<SqliteMemoryFixture>(fixture);
