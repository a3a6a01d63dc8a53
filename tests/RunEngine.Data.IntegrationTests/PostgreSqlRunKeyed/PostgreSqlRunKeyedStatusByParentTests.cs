using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedStatusByParentTests(PostgreSqlRunKeyedFixture fixture) : StatusByParentContract<PostgreSqlRunKeyedFixture>(fixture);
