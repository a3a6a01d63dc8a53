using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusTextAndJsonRulesTests(CitusFixture fixture) : TextAndJsonRulesContract<CitusFixture>(fixture);
