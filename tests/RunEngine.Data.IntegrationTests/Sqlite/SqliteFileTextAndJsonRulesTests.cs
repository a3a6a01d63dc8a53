using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteFileTextAndJsonRulesTests(SqliteFileFixture fixture) : TextAndJsonRulesContract<SqliteFileFixture>(fixture);
