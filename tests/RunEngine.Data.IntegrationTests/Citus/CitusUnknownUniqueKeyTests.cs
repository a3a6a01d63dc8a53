using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusUnknownUniqueKeyTests(CitusFixture fixture) : UnknownUniqueKeyContract<CitusFixture>(fixture);
