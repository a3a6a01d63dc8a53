using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryLeaseExpiryTests(SqliteMemoryFixture fixture) : LeaseExpiryContract<SqliteMemoryFixture>(fixture);
