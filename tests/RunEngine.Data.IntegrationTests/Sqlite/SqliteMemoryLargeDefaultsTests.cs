using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryLargeDefaultsTests(SqliteMemoryFixture fixture) : LargeDefaultsContract<SqliteMemoryFixture>(fixture);
