using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerLeaseExpiryTests(SqlServerFixture fixture) : LeaseExpiryContract<SqlServerFixture>(fixture);
