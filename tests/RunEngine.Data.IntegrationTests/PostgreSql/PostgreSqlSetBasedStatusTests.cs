using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlSetBasedStatusTests(PostgreSqlFixture fixture) : SetBasedStatusContract<PostgreSqlFixture>(fixture);
