using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedTextAndJsonRulesTests(PostgreSqlRunKeyedFixture fixture) : TextAndJsonRulesContract<PostgreSqlRunKeyedFixture>(fixture);
