using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedSetBasedStatusTests(PostgreSqlRunKeyedFixture fixture) : SetBasedStatusContract<PostgreSqlRunKeyedFixture>(fixture);
