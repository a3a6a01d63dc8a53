using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusLeaseRepeatTests(CitusFixture fixture) : LeaseRepeatContract<CitusFixture>(fixture);
