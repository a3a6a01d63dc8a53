using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerAtomicCycleTests(SqlServerFixture fixture) : AtomicCycleContract<SqlServerFixture>(fixture);
