using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedStoryRepositoryTests(PostgreSqlRunKeyedFixture fixture) : StoryRepositoryContract<PostgreSqlRunKeyedFixture>(fixture);
