using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerLeaseRepeatTests(SqlServerFixture fixture) : LeaseRepeatContract<SqlServerFixture>(fixture);
