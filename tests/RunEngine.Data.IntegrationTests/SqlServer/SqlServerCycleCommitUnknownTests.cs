using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerCycleCommitUnknownTests(SqlServerFixture fixture) : CycleCommitUnknownContract<SqlServerFixture>(fixture);
