using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlUnknownUniqueKeyTests(PostgreSqlFixture fixture) : UnknownUniqueKeyContract<PostgreSqlFixture>(fixture);
