using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerLargeDefaultsTests(SqlServerFixture fixture) : LargeDefaultsContract<SqlServerFixture>(fixture);
