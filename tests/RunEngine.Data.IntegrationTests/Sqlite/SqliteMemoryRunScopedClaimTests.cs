using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryRunScopedClaimTests(SqliteMemoryFixture fixture) : RunScopedClaimContract<SqliteMemoryFixture>(fixture);
