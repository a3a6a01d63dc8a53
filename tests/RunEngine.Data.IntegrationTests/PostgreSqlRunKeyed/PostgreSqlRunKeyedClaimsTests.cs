using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedClaimsTests(PostgreSqlRunKeyedFixture fixture) : ClaimsContract<PostgreSqlRunKeyedFixture>(fixture);
