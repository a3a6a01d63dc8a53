using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedLeaseClockTests(PostgreSqlRunKeyedFixture fixture) : LeaseClockContract<PostgreSqlRunKeyedFixture>(fixture);
