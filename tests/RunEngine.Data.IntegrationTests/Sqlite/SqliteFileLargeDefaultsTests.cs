using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileLargeDefaultsTests(SqliteFileFixture fixture) : LargeDefaultsContract<SqliteFileFixture>(fixture);
