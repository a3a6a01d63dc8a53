using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusCardRepositoryTests(CitusFixture fixture) : CardRepositoryContract<CitusFixture>(fixture);
