using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileRunScopedClaimTests(SqliteFileFixture fixture) : RunScopedClaimContract<SqliteFileFixture>(fixture);
