using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerDocumentedFactoryTests(SqlServerFixture fixture) : DocumentedFactoryContract<SqlServerFixture>(fixture)
{
    protected override bool ReportsRejectedRow => false;
}
