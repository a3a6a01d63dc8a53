using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerCardStoryRunTests(SqlServerFixture fixture) : CardStoryRunContract<SqlServerFixture>(fixture);
