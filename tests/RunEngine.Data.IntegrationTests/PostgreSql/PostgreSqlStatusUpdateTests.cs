using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlStatusUpdateTests(PostgreSqlFixture fixture) : StatusUpdateContract<PostgreSqlFixture>(fixture);
