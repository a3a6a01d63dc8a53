using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileReadmeWorkerLoopTests(SqliteFileFixture fixture) : ReadmeWorkerLoopContract<SqliteFileFixture>(fixture);
