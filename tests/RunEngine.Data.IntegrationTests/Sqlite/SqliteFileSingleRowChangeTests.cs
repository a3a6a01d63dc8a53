using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileSingleRowChangeTests(SqliteFileFixture fixture) : SingleRowChangeContract<SqliteFileFixture>(fixture);
