using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedRunScopedStatusTests(PostgreSqlRunKeyedFixture fixture) : RunScopedStatusContract<PostgreSqlRunKeyedFixture>(fixture);
