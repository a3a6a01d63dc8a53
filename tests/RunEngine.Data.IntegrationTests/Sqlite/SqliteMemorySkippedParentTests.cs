using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemorySkippedParentTests(SqliteMemoryFixture fixture) : SkippedParentContract<SqliteMemoryFixture>(fixture);
