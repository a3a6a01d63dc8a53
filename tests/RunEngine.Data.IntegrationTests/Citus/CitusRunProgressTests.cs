using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusRunProgressTests(CitusFixture fixture) : RunProgressContract<CitusFixture>(fixture);
