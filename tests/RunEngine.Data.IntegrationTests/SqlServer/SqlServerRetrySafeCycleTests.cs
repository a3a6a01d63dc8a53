using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerRetrySafeCycleTests(SqlServerFixture fixture) : RetrySafeCycleContract<SqlServerFixture>(fixture);
