using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerBulkOptionLimitsTests(SqlServerFixture fixture) : BulkOptionLimitsContract<SqlServerFixture>(fixture);
