using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlLeaseExpiryTests(PostgreSqlFixture fixture) : LeaseExpiryContract<PostgreSqlFixture>(fixture);
