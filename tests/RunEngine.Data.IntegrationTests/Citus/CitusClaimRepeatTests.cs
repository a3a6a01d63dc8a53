using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusClaimRepeatTests(CitusFixture fixture) : ClaimRepeatContract<CitusFixture>(fixture);
