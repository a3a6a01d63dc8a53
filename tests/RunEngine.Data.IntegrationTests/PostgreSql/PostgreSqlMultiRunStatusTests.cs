using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlMultiRunStatusTests(PostgreSqlFixture fixture) : MultiRunStatusContract<PostgreSqlFixture>(fixture);
