using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryCardRepositoryTests(SqliteMemoryFixture fixture) : CardRepositoryContract<SqliteMemoryFixture>(fixture);
