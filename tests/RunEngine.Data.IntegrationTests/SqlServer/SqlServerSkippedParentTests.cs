using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerSkippedParentTests(SqlServerFixture fixture) : SkippedParentContract<SqlServerFixture>(fixture)
{
    protected override bool NamesForeignKey => false;
}
