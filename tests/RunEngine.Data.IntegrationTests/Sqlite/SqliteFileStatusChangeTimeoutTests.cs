using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileStatusChangeTimeoutTests(SqliteFileFixture fixture) : StatusChangeTimeoutContract<SqliteFileFixture>(fixture);
