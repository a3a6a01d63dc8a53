using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusCycleAndTransactionTests(CitusFixture fixture) : CycleAndTransactionContract<CitusFixture>(fixture);
