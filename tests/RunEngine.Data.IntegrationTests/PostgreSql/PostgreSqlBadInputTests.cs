using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlBadInputTests(PostgreSqlFixture fixture) : BadInputContract<PostgreSqlFixture>(fixture);
