using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusSkippedParentTests(CitusFixture fixture) : SkippedParentContract<CitusFixture>(fixture);
