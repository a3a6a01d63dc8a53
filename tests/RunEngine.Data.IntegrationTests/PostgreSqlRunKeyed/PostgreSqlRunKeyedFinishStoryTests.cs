using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedFinishStoryTests(PostgreSqlRunKeyedFixture fixture) : FinishStoryContract<PostgreSqlRunKeyedFixture>(fixture);
