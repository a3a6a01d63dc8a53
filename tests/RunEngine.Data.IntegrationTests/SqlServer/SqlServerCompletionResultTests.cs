using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerCompletionResultTests(SqlServerFixture fixture) : CompletionResultContract<SqlServerFixture>(fixture);
