using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusReadmeWorkerLoopTests(CitusFixture fixture) : ReadmeWorkerLoopContract<CitusFixture>(fixture);
