using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlClaimsTests(PostgreSqlFixture fixture) : ClaimsContract<PostgreSqlFixture>(fixture);
