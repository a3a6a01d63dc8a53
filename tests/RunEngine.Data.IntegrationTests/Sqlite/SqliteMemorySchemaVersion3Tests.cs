using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemorySchemaVersion3Tests(SqliteMemoryFixture fixture) : SchemaVersion3Contract<SqliteMemoryFixture>(fixture);
