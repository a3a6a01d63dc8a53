using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusBadInputTests(CitusFixture fixture) : BadInputContract<CitusFixture>(fixture);
