using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileStatusByParentTests(SqliteFileFixture fixture) : StatusByParentContract<SqliteFileFixture>(fixture);
