using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusSetBasedStatusTests(CitusFixture fixture) : SetBasedStatusContract<CitusFixture>(fixture);
