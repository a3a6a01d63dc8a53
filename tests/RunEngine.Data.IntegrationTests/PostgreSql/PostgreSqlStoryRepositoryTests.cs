using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlStoryRepositoryTests(PostgreSqlFixture fixture) : StoryRepositoryContract<PostgreSqlFixture>(fixture);
