using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedBulkOptionLimitsTests(PostgreSqlRunKeyedFixture fixture) : BulkOptionLimitsContract<PostgreSqlRunKeyedFixture>(fixture);
