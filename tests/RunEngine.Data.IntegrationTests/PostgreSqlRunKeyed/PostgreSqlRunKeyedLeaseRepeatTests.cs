using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedLeaseRepeatTests(PostgreSqlRunKeyedFixture fixture) : LeaseRepeatContract<PostgreSqlRunKeyedFixture>(fixture);
