using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerRunProgressTests(SqlServerFixture fixture) : RunProgressContract<SqlServerFixture>(fixture);
