using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileCycleAndTransactionTests(SqliteFileFixture fixture) : CycleAndTransactionContract<SqliteFileFixture>(fixture);
