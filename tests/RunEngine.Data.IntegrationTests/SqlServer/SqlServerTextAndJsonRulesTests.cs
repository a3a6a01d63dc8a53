using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerTextAndJsonRulesTests(SqlServerFixture fixture) : TextAndJsonRulesContract<SqlServerFixture>(fixture);
