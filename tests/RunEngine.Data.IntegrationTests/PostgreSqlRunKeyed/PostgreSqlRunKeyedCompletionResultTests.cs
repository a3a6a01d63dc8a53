using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedCompletionResultTests(PostgreSqlRunKeyedFixture fixture) : CompletionResultContract<PostgreSqlRunKeyedFixture>(fixture);
