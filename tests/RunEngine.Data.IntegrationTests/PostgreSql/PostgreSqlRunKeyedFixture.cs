using RunEngine.Data.PostgreSql;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// A <see cref="PostgreSqlFixture"/> (a database per test class on plain PostgreSQL) whose tables are in the distributed
/// layout's shape without Citus: <see cref="PostgreSqlDistribution.Citus"/> with the internal
/// <see cref="PostgreSqlOptions.WithoutCitusExtension"/>, so the keys are <c>(run_id, id)</c> and the provider uses the
/// distributed mode's statements, but nothing asks for the citus extension or distributes a table. The
/// <c>PostgreSqlRunKeyed…Tests</c> classes run the contract suite on it in CI.
/// </summary>
public sealed class PostgreSqlRunKeyedFixture : PostgreSqlFixture
{
    public override bool KeysCarryRun => true;

    protected override void Configure(PostgreSqlOptions options)
    {
        options.Distribution = PostgreSqlDistribution.Citus;
        options.WithoutCitusExtension = true;
    }
}
