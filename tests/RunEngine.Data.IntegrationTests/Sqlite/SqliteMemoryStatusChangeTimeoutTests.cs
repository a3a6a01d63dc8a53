using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryStatusChangeTimeoutTests(SqliteMemoryFixture fixture) : StatusChangeTimeoutContract<SqliteMemoryFixture>(fixture);
