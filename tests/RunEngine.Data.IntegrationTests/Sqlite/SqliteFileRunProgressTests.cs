using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileRunProgressTests(SqliteFileFixture fixture) : RunProgressContract<SqliteFileFixture>(fixture);
