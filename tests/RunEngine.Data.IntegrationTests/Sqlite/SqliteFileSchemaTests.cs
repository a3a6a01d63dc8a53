using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileSchemaTests(SqliteFileFixture fixture) : SchemaContract<SqliteFileFixture>(fixture);
