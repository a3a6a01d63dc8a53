using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileMultiRunStatusTests(SqliteFileFixture fixture) : MultiRunStatusContract<SqliteFileFixture>(fixture);
