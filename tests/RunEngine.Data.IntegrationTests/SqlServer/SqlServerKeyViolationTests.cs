using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerKeyViolationTests(SqlServerFixture fixture) : KeyViolationContract<SqlServerFixture>(fixture)
{
    protected override bool ReportsRejectedRow => false;

    protected override bool ReportsForeignKeyRow => false;

    protected override bool NamesForeignKey => false;
}
