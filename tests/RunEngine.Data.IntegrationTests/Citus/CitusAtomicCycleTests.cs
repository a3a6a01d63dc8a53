using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusAtomicCycleTests(CitusFixture fixture) : AtomicCycleContract<CitusFixture>(fixture);
