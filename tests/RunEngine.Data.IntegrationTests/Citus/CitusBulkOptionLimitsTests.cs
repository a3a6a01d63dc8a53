using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusBulkOptionLimitsTests(CitusFixture fixture) : BulkOptionLimitsContract<CitusFixture>(fixture);
