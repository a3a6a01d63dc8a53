using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedSingleRowChangeTests(PostgreSqlRunKeyedFixture fixture) : SingleRowChangeContract<PostgreSqlRunKeyedFixture>(fixture);
