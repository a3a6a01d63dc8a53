using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlLeaseClockTests(PostgreSqlFixture fixture) : LeaseClockContract<PostgreSqlFixture>(fixture);
