using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlClaimRepeatTests(PostgreSqlFixture fixture) : ClaimRepeatContract<PostgreSqlFixture>(fixture);
