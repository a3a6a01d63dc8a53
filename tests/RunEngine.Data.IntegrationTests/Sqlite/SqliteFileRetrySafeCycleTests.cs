using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileRetrySafeCycleTests(SqliteFileFixture fixture) : RetrySafeCycleContract<SqliteFileFixture>(fixture);
