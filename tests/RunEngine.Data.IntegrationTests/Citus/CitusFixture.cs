using Npgsql;
using RunEngine.Data.IntegrationTests.PostgreSql;
using RunEngine.Data.PostgreSql;

namespace RunEngine.Data.IntegrationTests.Citus;

/// <summary>
/// A uniquely named schema per test class on the Citus coordinator named by <c>RUNENGINE_TEST_CITUS</c> (a connection
/// string to a database where the citus extension exists and worker nodes are registered), with
/// <see cref="PostgreSqlDistribution.Citus"/>: <see cref="RunEngineDatabase.EnsureSchemaAsync"/> distributes the tables.
/// A schema, not a database, because Citus does not propagate CREATE DATABASE to the workers by default; the schema is
/// created here (CREATE SCHEMA is propagated) and dropped with CASCADE afterwards, which drops the shards too. Without
/// the variable the tests skip with that reason — also under CI=true, since CI has no Citus cluster.
/// </summary>
public sealed class CitusFixture : PostgreSqlFixture
{
    /// <summary>The environment variable holding the coordinator's connection string.</summary>
    public const string CitusVariable = "RUNENGINE_TEST_CITUS";

    public override bool KeysCarryRun => true;

    /// <summary>The name of this fixture's schema.</summary>
    public string SchemaName { get; } = "re_citus_" + Guid.NewGuid().ToString("N")[..20];

    protected override string ServerVariable => CitusVariable;

    protected override bool RequiredInCi => false;

    protected override string UnsetReason =>
        $"{CitusVariable} is not set (a connection string to a Citus coordinator database with the citus extension and registered workers).";

    protected override async Task<string> CreateIsolatedAsync(string serverConnectionString)
    {
        await using (var server = new NpgsqlConnection(serverConnectionString))
        {
            await server.OpenAsync();

            // A regular schema: with schema-based sharding on, a new schema would be a distributed (tenant) schema, whose
            // tables Citus distributes by itself, without run_id.
            await using var create = new NpgsqlCommand(
                $"SET citus.enable_schema_based_sharding TO off; CREATE SCHEMA {Quote(SchemaName)}", server);
            await create.ExecuteNonQueryAsync();
        }

        // Unqualified names in the tests' own SQL resolve to the fixture's schema.
        return new NpgsqlConnectionStringBuilder(serverConnectionString) { SearchPath = SchemaName }.ConnectionString;
    }

    protected override async Task DropIsolatedAsync(string serverConnectionString)
    {
        await using var server = new NpgsqlConnection(serverConnectionString);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Quote(SchemaName)} CASCADE", server);
        await drop.ExecuteNonQueryAsync();
    }

    protected override void Configure(PostgreSqlOptions options)
    {
        options.Schema = SchemaName;
        options.Distribution = PostgreSqlDistribution.Citus;
    }
}
