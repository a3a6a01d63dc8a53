using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlCycleAndTransactionTests(PostgreSqlFixture fixture) : CycleAndTransactionContract<PostgreSqlFixture>(fixture);
