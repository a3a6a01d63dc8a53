using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedClaimRepeatTests(PostgreSqlRunKeyedFixture fixture) : ClaimRepeatContract<PostgreSqlRunKeyedFixture>(fixture);
