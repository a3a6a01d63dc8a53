using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlBulkOptionLimitsTests(PostgreSqlFixture fixture) : BulkOptionLimitsContract<PostgreSqlFixture>(fixture);
