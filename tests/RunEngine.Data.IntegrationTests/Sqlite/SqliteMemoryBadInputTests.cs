using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryBadInputTests(SqliteMemoryFixture fixture) : BadInputContract<SqliteMemoryFixture>(fixture);
