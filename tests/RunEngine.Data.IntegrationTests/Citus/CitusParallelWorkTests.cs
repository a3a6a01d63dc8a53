using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusParallelWorkTests(CitusFixture fixture) : ParallelWorkContract<CitusFixture>(fixture);
