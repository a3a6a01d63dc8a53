using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileKeyViolationTests(SqliteFileFixture fixture) : KeyViolationContract<SqliteFileFixture>(fixture);
