using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusLargeDefaultsTests(CitusFixture fixture) : LargeDefaultsContract<CitusFixture>(fixture);
