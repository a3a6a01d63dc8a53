using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryUnknownUniqueKeyTests(SqliteMemoryFixture fixture) : UnknownUniqueKeyContract<SqliteMemoryFixture>(fixture);
