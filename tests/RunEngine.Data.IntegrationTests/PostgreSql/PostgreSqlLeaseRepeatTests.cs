using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlLeaseRepeatTests(PostgreSqlFixture fixture) : LeaseRepeatContract<PostgreSqlFixture>(fixture);
