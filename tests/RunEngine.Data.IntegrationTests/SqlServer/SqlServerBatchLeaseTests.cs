using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerBatchLeaseTests(SqlServerFixture fixture) : BatchLeaseContract<SqlServerFixture>(fixture);
