using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusLeaseExpiryTests(CitusFixture fixture) : LeaseExpiryContract<CitusFixture>(fixture);
