using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemorySetBasedStatusTests(SqliteMemoryFixture fixture) : SetBasedStatusContract<SqliteMemoryFixture>(fixture);
