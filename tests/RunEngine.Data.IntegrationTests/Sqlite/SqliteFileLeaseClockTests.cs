using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileLeaseClockTests(SqliteFileFixture fixture) : LeaseClockContract<SqliteFileFixture>(fixture);
