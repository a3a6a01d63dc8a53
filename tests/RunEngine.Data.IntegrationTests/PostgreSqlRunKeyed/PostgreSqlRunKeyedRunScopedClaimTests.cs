using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedRunScopedClaimTests(PostgreSqlRunKeyedFixture fixture) : RunScopedClaimContract<PostgreSqlRunKeyedFixture>(fixture);
