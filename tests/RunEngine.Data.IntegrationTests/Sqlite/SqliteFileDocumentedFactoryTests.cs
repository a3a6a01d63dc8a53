using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileDocumentedFactoryTests(SqliteFileFixture fixture) : DocumentedFactoryContract<SqliteFileFixture>(fixture);
