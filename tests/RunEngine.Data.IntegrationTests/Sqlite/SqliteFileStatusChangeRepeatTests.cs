using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileStatusChangeRepeatTests(SqliteFileFixture fixture) : StatusChangeRepeatContract<SqliteFileFixture>(fixture);
