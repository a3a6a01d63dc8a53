using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Sqlite;

public sealed class SqliteMemoryTextAndJsonRulesTests(SqliteMemoryFixture fixture) : TextAndJsonRulesContract<SqliteMemoryFixture>(fixture);
