using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedStatusChangeRepeatTests(PostgreSqlRunKeyedFixture fixture) : StatusChangeRepeatContract<PostgreSqlRunKeyedFixture>(fixture);
