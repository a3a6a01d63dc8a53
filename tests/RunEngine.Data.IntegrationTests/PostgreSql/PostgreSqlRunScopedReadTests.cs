using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunScopedReadTests(PostgreSqlFixture fixture) : RunScopedReadContract<PostgreSqlFixture>(fixture);
