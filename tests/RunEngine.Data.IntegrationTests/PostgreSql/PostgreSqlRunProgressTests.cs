using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunProgressTests(PostgreSqlFixture fixture) : RunProgressContract<PostgreSqlFixture>(fixture);
