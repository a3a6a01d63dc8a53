using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlCardRepositoryTests(PostgreSqlFixture fixture) : CardRepositoryContract<PostgreSqlFixture>(fixture);
