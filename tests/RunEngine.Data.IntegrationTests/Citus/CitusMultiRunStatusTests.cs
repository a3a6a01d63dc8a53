using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusMultiRunStatusTests(CitusFixture fixture) : MultiRunStatusContract<CitusFixture>(fixture);
