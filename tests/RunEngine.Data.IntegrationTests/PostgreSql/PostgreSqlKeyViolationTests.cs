using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlKeyViolationTests(PostgreSqlFixture fixture) : KeyViolationContract<PostgreSqlFixture>(fixture)
{
    protected override bool ReportsForeignKeyRow => false;
}
