using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunLogTests(PostgreSqlFixture fixture) : RunLogContract<PostgreSqlFixture>(fixture);
