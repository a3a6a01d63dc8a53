using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlStatusByParentTests(PostgreSqlFixture fixture) : StatusByParentContract<PostgreSqlFixture>(fixture);
