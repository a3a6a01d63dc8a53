using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerBadInputTests(SqlServerFixture fixture) : BadInputContract<SqlServerFixture>(fixture);
