using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedRunProgressTests(PostgreSqlRunKeyedFixture fixture) : RunProgressContract<PostgreSqlRunKeyedFixture>(fixture);
