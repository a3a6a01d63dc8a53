using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryClaimsTests(SqliteMemoryFixture fixture) : ClaimsContract<SqliteMemoryFixture>(fixture);
