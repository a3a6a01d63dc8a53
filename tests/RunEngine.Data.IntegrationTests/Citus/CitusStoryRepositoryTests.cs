using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusStoryRepositoryTests(CitusFixture fixture) : StoryRepositoryContract<CitusFixture>(fixture);
