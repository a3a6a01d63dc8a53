using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedBatchLeaseTests(PostgreSqlRunKeyedFixture fixture) : BatchLeaseContract<PostgreSqlRunKeyedFixture>(fixture);
