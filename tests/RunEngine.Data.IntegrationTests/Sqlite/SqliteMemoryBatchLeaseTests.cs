using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryBatchLeaseTests(SqliteMemoryFixture fixture) : BatchLeaseContract<SqliteMemoryFixture>(fixture);
