using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryMultiRunStatusTests(SqliteMemoryFixture fixture) : MultiRunStatusContract<SqliteMemoryFixture>(fixture);
