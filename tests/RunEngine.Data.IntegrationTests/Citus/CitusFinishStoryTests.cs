using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusFinishStoryTests(CitusFixture fixture) : FinishStoryContract<CitusFixture>(fixture);
