using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlSingleRowChangeTests(PostgreSqlFixture fixture) : SingleRowChangeContract<PostgreSqlFixture>(fixture);
