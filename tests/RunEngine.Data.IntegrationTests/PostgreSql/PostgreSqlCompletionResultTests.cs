using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlCompletionResultTests(PostgreSqlFixture fixture) : CompletionResultContract<PostgreSqlFixture>(fixture);
