using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryCycleAndTransactionTests(SqliteMemoryFixture fixture) : CycleAndTransactionContract<SqliteMemoryFixture>(fixture);
