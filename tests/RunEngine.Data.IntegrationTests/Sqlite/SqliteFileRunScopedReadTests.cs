using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileRunScopedReadTests(SqliteFileFixture fixture) : RunScopedReadContract<SqliteFileFixture>(fixture);
