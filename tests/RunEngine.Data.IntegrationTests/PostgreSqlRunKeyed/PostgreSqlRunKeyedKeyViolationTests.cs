using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedKeyViolationTests(PostgreSqlRunKeyedFixture fixture) : KeyViolationContract<PostgreSqlRunKeyedFixture>(fixture)
{
    protected override bool ReportsForeignKeyRow => false;
}
