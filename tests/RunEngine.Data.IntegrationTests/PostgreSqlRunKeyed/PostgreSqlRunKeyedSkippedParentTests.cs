using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedSkippedParentTests(PostgreSqlRunKeyedFixture fixture) : SkippedParentContract<PostgreSqlRunKeyedFixture>(fixture);
