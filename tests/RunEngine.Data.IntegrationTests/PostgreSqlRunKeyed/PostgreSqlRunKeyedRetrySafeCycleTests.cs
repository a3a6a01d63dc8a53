using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedRetrySafeCycleTests(PostgreSqlRunKeyedFixture fixture) : RetrySafeCycleContract<PostgreSqlRunKeyedFixture>(fixture);
