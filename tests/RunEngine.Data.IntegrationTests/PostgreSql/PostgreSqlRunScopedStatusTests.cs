using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunScopedStatusTests(PostgreSqlFixture fixture) : RunScopedStatusContract<PostgreSqlFixture>(fixture);
