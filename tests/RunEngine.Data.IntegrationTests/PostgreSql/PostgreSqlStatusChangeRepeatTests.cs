using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlStatusChangeRepeatTests(PostgreSqlFixture fixture) : StatusChangeRepeatContract<PostgreSqlFixture>(fixture);
