using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusRunScopedStatusTests(CitusFixture fixture) : RunScopedStatusContract<CitusFixture>(fixture);
