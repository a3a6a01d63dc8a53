using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileParallelWorkTests(SqliteFileFixture fixture) : ParallelWorkContract<SqliteFileFixture>(fixture);
