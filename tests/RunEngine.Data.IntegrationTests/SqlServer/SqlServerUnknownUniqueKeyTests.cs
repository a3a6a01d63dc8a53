using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerUnknownUniqueKeyTests(SqlServerFixture fixture) : UnknownUniqueKeyContract<SqlServerFixture>(fixture);
