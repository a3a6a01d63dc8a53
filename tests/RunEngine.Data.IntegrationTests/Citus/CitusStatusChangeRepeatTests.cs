using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusStatusChangeRepeatTests(CitusFixture fixture) : StatusChangeRepeatContract<CitusFixture>(fixture);
