using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileSkippedParentTests(SqliteFileFixture fixture) : SkippedParentContract<SqliteFileFixture>(fixture);
