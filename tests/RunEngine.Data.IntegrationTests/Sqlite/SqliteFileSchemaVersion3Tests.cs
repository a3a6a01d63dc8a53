using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileSchemaVersion3Tests(SqliteFileFixture fixture) : SchemaVersion3Contract<SqliteFileFixture>(fixture);
