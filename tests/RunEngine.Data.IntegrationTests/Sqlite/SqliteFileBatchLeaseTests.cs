using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileBatchLeaseTests(SqliteFileFixture fixture) : BatchLeaseContract<SqliteFileFixture>(fixture);
