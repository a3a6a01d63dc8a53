using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusStatusByParentTests(CitusFixture fixture) : StatusByParentContract<CitusFixture>(fixture);
