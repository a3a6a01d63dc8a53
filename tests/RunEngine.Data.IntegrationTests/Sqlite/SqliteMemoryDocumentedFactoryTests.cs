using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryDocumentedFactoryTests(SqliteMemoryFixture fixture) : DocumentedFactoryContract<SqliteMemoryFixture>(fixture);
