using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryStatusChangeRepeatTests(SqliteMemoryFixture fixture) : StatusChangeRepeatContract<SqliteMemoryFixture>(fixture);
