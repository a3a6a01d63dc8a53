using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileBulkOptionLimitsTests(SqliteFileFixture fixture) : BulkOptionLimitsContract<SqliteFileFixture>(fixture);
