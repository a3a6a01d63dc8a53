using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryStatusUpdateTests(SqliteMemoryFixture fixture) : StatusUpdateContract<SqliteMemoryFixture>(fixture);
