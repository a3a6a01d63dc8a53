using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlBatchLeaseTests(PostgreSqlFixture fixture) : BatchLeaseContract<PostgreSqlFixture>(fixture);
