using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusKeyViolationTests(CitusFixture fixture) : KeyViolationContract<CitusFixture>(fixture)
{
    protected override bool ReportsForeignKeyRow => false;
}
