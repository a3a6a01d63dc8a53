using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlStatusChangeTimeoutTests(PostgreSqlFixture fixture) : StatusChangeTimeoutContract<PostgreSqlFixture>(fixture);
