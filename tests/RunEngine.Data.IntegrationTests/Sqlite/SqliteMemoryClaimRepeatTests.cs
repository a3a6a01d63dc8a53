using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryClaimRepeatTests(SqliteMemoryFixture fixture) : ClaimRepeatContract<SqliteMemoryFixture>(fixture);
