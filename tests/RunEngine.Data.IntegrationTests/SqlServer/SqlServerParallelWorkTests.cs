using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerParallelWorkTests(SqlServerFixture fixture) : ParallelWorkContract<SqlServerFixture>(fixture);
