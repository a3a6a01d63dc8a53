using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryStatusByParentTests(SqliteMemoryFixture fixture) : StatusByParentContract<SqliteMemoryFixture>(fixture);
