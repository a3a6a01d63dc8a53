using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusStatusChangeTimeoutTests(CitusFixture fixture) : StatusChangeTimeoutContract<CitusFixture>(fixture);
