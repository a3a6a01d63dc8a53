using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlFinishStoryTests(PostgreSqlFixture fixture) : FinishStoryContract<PostgreSqlFixture>(fixture);
