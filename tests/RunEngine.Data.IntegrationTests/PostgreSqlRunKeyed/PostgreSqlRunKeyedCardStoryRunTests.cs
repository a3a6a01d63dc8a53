using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedCardStoryRunTests(PostgreSqlRunKeyedFixture fixture) : CardStoryRunContract<PostgreSqlRunKeyedFixture>(fixture);
