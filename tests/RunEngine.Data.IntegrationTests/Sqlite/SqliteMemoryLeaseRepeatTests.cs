using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryLeaseRepeatTests(SqliteMemoryFixture fixture) : LeaseRepeatContract<SqliteMemoryFixture>(fixture);
