using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerCycleAndTransactionTests(SqlServerFixture fixture) : CycleAndTransactionContract<SqlServerFixture>(fixture);
