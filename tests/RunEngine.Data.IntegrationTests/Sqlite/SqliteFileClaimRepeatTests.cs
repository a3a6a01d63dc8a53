using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileClaimRepeatTests(SqliteFileFixture fixture) : ClaimRepeatContract<SqliteFileFixture>(fixture);
