using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedCardRepositoryTests(PostgreSqlRunKeyedFixture fixture) : CardRepositoryContract<PostgreSqlRunKeyedFixture>(fixture);
