using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerSingleRowChangeTests(SqlServerFixture fixture) : SingleRowChangeContract<SqlServerFixture>(fixture);
