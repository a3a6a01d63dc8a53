using RunEngine.Data.IntegrationTests.PostgreSql;

namespace RunEngine.Data.IntegrationTests.Citus;

/// <summary>
/// <see cref="DistributedWriteTestsBase{TFixture}"/> on a Citus coordinator (<c>RUNENGINE_TEST_CITUS</c>): the
/// <c>XX000</c> re-raise is Citus's own, so no trigger emulates it and the emulation's own tests skip.
/// </summary>
public sealed class CitusDistributedWriteTests(CitusFixture fixture) : DistributedWriteTestsBase<CitusFixture>(fixture)
{
    protected override bool EmulatesReRaise => false;
}
