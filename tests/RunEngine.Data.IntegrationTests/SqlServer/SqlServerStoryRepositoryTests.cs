using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerStoryRepositoryTests(SqlServerFixture fixture) : StoryRepositoryContract<SqlServerFixture>(fixture);
