using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryParallelWorkTests(SqliteMemoryFixture fixture) : ParallelWorkContract<SqliteMemoryFixture>(fixture);
