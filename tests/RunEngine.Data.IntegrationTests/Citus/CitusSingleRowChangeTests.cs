using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusSingleRowChangeTests(CitusFixture fixture) : SingleRowChangeContract<CitusFixture>(fixture);
