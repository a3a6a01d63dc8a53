using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusDocumentedFactoryTests(CitusFixture fixture) : DocumentedFactoryContract<CitusFixture>(fixture);
