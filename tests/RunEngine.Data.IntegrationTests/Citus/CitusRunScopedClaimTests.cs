using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusRunScopedClaimTests(CitusFixture fixture) : RunScopedClaimContract<CitusFixture>(fixture);
