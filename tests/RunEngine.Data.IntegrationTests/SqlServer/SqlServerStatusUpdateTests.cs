using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerStatusUpdateTests(SqlServerFixture fixture) : StatusUpdateContract<SqlServerFixture>(fixture);
