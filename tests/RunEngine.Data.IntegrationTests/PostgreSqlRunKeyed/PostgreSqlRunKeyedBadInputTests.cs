using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedBadInputTests(PostgreSqlRunKeyedFixture fixture) : BadInputContract<PostgreSqlRunKeyedFixture>(fixture);
