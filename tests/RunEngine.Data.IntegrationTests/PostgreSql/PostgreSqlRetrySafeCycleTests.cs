using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRetrySafeCycleTests(PostgreSqlFixture fixture) : RetrySafeCycleContract<PostgreSqlFixture>(fixture);
