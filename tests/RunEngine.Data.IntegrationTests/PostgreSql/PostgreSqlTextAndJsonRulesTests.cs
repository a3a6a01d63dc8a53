using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlTextAndJsonRulesTests(PostgreSqlFixture fixture) : TextAndJsonRulesContract<PostgreSqlFixture>(fixture);
