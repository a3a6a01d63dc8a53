using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedRunScopedReadTests(PostgreSqlRunKeyedFixture fixture) : RunScopedReadContract<PostgreSqlRunKeyedFixture>(fixture);
