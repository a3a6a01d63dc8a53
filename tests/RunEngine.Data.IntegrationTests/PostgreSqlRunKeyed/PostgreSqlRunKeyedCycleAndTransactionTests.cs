using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedCycleAndTransactionTests(PostgreSqlRunKeyedFixture fixture) : CycleAndTransactionContract<PostgreSqlRunKeyedFixture>(fixture);
