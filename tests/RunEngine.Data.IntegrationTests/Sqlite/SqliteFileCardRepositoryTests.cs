using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileCardRepositoryTests(SqliteFileFixture fixture) : CardRepositoryContract<SqliteFileFixture>(fixture);
