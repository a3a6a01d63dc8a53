using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusRetrySafeCycleTests(CitusFixture fixture) : RetrySafeCycleContract<CitusFixture>(fixture);
