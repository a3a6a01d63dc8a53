using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusStatusUpdateTests(CitusFixture fixture) : StatusUpdateContract<CitusFixture>(fixture);
