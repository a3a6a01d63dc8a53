using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedLargeDefaultsTests(PostgreSqlRunKeyedFixture fixture) : LargeDefaultsContract<PostgreSqlRunKeyedFixture>(fixture);
