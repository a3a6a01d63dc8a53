using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerStatusByParentTests(SqlServerFixture fixture) : StatusByParentContract<SqlServerFixture>(fixture);
