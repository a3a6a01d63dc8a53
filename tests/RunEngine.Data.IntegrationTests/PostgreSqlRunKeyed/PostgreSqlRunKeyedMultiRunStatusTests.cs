using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedMultiRunStatusTests(PostgreSqlRunKeyedFixture fixture) : MultiRunStatusContract<PostgreSqlRunKeyedFixture>(fixture);
