using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusRunLogTests(CitusFixture fixture) : RunLogContract<CitusFixture>(fixture);
