using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerLeaseClockTests(SqlServerFixture fixture) : LeaseClockContract<SqlServerFixture>(fixture);
