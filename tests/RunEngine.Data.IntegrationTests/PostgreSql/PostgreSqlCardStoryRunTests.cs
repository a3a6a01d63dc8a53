using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlCardStoryRunTests(PostgreSqlFixture fixture) : CardStoryRunContract<PostgreSqlFixture>(fixture);
