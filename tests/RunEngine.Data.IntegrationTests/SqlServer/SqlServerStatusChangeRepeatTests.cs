using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerStatusChangeRepeatTests(SqlServerFixture fixture) : StatusChangeRepeatContract<SqlServerFixture>(fixture);
