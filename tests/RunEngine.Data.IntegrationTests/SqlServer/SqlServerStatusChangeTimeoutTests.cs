using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerStatusChangeTimeoutTests(SqlServerFixture fixture) : StatusChangeTimeoutContract<SqlServerFixture>(fixture);
