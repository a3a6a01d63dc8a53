using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryRunProgressTests(SqliteMemoryFixture fixture) : RunProgressContract<SqliteMemoryFixture>(fixture);
