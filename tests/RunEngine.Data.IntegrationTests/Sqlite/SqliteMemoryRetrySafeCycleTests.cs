using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryRetrySafeCycleTests(SqliteMemoryFixture fixture) : RetrySafeCycleContract<SqliteMemoryFixture>(fixture);
