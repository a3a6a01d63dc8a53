using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunScopedClaimTests(PostgreSqlFixture fixture) : RunScopedClaimContract<PostgreSqlFixture>(fixture);
