using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileCycleCommitUnknownTests(SqliteFileFixture fixture) : CycleCommitUnknownContract<SqliteFileFixture>(fixture);
