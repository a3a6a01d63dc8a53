using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileBadInputTests(SqliteFileFixture fixture) : BadInputContract<SqliteFileFixture>(fixture);
