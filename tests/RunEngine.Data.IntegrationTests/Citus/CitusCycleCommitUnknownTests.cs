using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusCycleCommitUnknownTests(CitusFixture fixture) : CycleCommitUnknownContract<CitusFixture>(fixture);
