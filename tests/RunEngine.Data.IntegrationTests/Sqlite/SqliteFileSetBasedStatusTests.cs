using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileSetBasedStatusTests(SqliteFileFixture fixture) : SetBasedStatusContract<SqliteFileFixture>(fixture);
