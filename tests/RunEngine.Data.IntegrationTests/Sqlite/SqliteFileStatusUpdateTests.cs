using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileStatusUpdateTests(SqliteFileFixture fixture) : StatusUpdateContract<SqliteFileFixture>(fixture);
