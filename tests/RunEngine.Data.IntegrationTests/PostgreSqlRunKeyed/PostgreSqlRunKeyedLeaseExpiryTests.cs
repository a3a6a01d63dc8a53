using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedLeaseExpiryTests(PostgreSqlRunKeyedFixture fixture) : LeaseExpiryContract<PostgreSqlRunKeyedFixture>(fixture);
