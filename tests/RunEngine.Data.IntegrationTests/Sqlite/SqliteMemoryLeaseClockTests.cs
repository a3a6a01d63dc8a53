using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryLeaseClockTests(SqliteMemoryFixture fixture) : LeaseClockContract<SqliteMemoryFixture>(fixture);
