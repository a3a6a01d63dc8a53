using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileUnknownUniqueKeyTests(SqliteFileFixture fixture) : UnknownUniqueKeyContract<SqliteFileFixture>(fixture);
