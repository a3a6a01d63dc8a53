using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileLeaseExpiryTests(SqliteFileFixture fixture) : LeaseExpiryContract<SqliteFileFixture>(fixture);
