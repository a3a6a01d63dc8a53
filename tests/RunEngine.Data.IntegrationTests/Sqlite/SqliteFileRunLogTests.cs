using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileRunLogTests(SqliteFileFixture fixture) : RunLogContract<SqliteFileFixture>(fixture);
