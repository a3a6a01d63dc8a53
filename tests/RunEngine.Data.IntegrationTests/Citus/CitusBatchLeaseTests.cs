using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusBatchLeaseTests(CitusFixture fixture) : BatchLeaseContract<CitusFixture>(fixture);
