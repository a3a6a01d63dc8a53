using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedStatusUpdateTests(PostgreSqlRunKeyedFixture fixture) : StatusUpdateContract<PostgreSqlRunKeyedFixture>(fixture);
