using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedUnknownUniqueKeyTests(PostgreSqlRunKeyedFixture fixture) : UnknownUniqueKeyContract<PostgreSqlRunKeyedFixture>(fixture);
