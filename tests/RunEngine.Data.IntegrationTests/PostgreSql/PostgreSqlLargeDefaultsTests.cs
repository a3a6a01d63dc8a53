using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlLargeDefaultsTests(PostgreSqlFixture fixture) : LargeDefaultsContract<PostgreSqlFixture>(fixture);
