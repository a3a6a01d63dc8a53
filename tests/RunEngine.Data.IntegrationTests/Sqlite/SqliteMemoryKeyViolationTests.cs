using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryKeyViolationTests(SqliteMemoryFixture fixture) : KeyViolationContract<SqliteMemoryFixture>(fixture);
