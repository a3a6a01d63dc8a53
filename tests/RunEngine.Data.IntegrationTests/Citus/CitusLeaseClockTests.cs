using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusLeaseClockTests(CitusFixture fixture) : LeaseClockContract<CitusFixture>(fixture);
