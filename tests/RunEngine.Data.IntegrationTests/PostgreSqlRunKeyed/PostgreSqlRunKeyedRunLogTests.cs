using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedRunLogTests(PostgreSqlRunKeyedFixture fixture) : RunLogContract<PostgreSqlRunKeyedFixture>(fixture);
