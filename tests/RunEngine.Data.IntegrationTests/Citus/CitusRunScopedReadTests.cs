using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusRunScopedReadTests(CitusFixture fixture) : RunScopedReadContract<CitusFixture>(fixture);
