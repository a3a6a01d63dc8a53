using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryBulkOptionLimitsTests(SqliteMemoryFixture fixture) : BulkOptionLimitsContract<SqliteMemoryFixture>(fixture);
