using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileRunScopedStatusTests(SqliteFileFixture fixture) : RunScopedStatusContract<SqliteFileFixture>(fixture);
