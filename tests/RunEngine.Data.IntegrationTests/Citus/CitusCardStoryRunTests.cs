using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusCardStoryRunTests(CitusFixture fixture) : CardStoryRunContract<CitusFixture>(fixture);
