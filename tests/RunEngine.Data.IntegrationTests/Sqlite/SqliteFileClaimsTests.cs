using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileClaimsTests(SqliteFileFixture fixture) : ClaimsContract<SqliteFileFixture>(fixture);
