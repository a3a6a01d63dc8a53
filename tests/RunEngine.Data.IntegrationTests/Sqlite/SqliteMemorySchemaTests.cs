using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemorySchemaTests(SqliteMemoryFixture fixture) : SchemaContract<SqliteMemoryFixture>(fixture);
