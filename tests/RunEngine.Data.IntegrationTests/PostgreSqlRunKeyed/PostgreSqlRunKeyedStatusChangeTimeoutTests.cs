using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedStatusChangeTimeoutTests(PostgreSqlRunKeyedFixture fixture) : StatusChangeTimeoutContract<PostgreSqlRunKeyedFixture>(fixture);
