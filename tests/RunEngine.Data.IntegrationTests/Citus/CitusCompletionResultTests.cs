using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusCompletionResultTests(CitusFixture fixture) : CompletionResultContract<CitusFixture>(fixture);
