using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerFinishStoryTests(SqlServerFixture fixture) : FinishStoryContract<SqlServerFixture>(fixture);
