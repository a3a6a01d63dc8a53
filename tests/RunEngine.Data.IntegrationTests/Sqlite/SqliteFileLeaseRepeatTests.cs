using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileLeaseRepeatTests(SqliteFileFixture fixture) : LeaseRepeatContract<SqliteFileFixture>(fixture);
