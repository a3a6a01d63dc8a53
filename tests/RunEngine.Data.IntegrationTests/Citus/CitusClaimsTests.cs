using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusClaimsTests(CitusFixture fixture) : ClaimsContract<CitusFixture>(fixture);
