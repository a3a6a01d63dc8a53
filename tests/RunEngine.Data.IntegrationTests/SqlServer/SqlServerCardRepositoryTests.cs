using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerCardRepositoryTests(SqlServerFixture fixture) : CardRepositoryContract<SqlServerFixture>(fixture);
