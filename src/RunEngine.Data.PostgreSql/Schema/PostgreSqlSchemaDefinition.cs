using System.Data.Common;
using Dapper;
using Npgsql;
using RunEngine.Data.Providers;
using RunEngine.Data.Schema;

namespace RunEngine.Data.PostgreSql.Schema;

/// <summary>
/// PostgreSQL's shipped scripts; migrations are serialized by a transaction-scoped advisory lock. In the distributed
/// layout (<see cref="PostgreSqlDistribution.Citus"/>) the migration first checks that the citus extension is installed,
/// then, after the versioned scripts, keys the tables by run and distributes them (<see cref="DistributionScripts"/>).
/// </summary>
internal sealed class PostgreSqlSchemaDefinition : SchemaDefinition
{
    private static readonly IReadOnlyList<SchemaScript> ShippedScripts =
        SchemaScriptLoader.Load(typeof(PostgreSqlSchemaDefinition).Assembly, "RunEngine.Data.PostgreSql");

    private readonly long _lockKey;
    private readonly TableNames _tables;
    private readonly bool _requiresCitus;

    /// <param name="tables">The configured tables.</param>
    /// <param name="distribution">The configured layout.</param>
    /// <param name="withoutCitus">Test-only (<see cref="PostgreSqlOptions.WithoutCitusExtension"/>): with
    /// <see cref="PostgreSqlDistribution.Citus"/>, the run keys without the extension check and without distributing.</param>
    public PostgreSqlSchemaDefinition(TableNames tables, PostgreSqlDistribution distribution = PostgreSqlDistribution.None, bool withoutCitus = false)
    {
        _lockKey = SchemaLockKey.For(tables.Schema, tables.Prefix);
        _tables = tables;
        var distributed = distribution != PostgreSqlDistribution.None;
        _requiresCitus = distributed && !withoutCitus;
        LayoutScripts = !distributed
            ? []
            : withoutCitus ? [DistributionScripts.RunKeys] : [DistributionScripts.RunKeys, DistributionScripts.Distribute];
    }

    public override IReadOnlyList<SchemaScript> Scripts => ShippedScripts;

    /// <summary>None on one server; in the distributed layout the run keys, then (on Citus) the distribution.</summary>
    public override IReadOnlyList<SchemaScript> LayoutScripts { get; }

    /// <summary>
    /// In the distributed layout, stops before anything is created when the citus extension is not installed in the
    /// database: creating the tables with run keys and then failing to distribute them would leave a half-done layout.
    /// </summary>
    public override async Task CheckLayoutAsync(DbConnection connection, DbTransaction transaction, int timeoutSeconds, CancellationToken cancellationToken)
    {
        if (!_requiresCitus)
        {
            return;
        }

        var installed = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            DistributionScripts.CitusInstalledSql, transaction: transaction, commandTimeout: timeoutSeconds, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (!installed)
        {
            throw new SchemaException(
                $"PostgreSqlOptions.Distribution is Citus, but the citus extension is not installed in this database, so the tables of schema {_tables.QuotedSchema} " +
                "cannot be distributed. Nothing was changed: the migration rolled back. Install Citus on the server, run CREATE EXTENSION citus in this " +
                "database on the coordinator and register the worker nodes (citus_add_node), then call EnsureSchemaAsync again; on a single server, use " +
                "Distribution = None. See docs/schema.md, \"Distributed mode\".");
        }
    }

    /// <summary>The advisory lock key of this schema and prefix (the same in every process and version of .NET).</summary>
    public long LockKey => _lockKey;

    /// <summary>42P01 undefined_table (also for a schema-qualified name whose schema is missing), 3F000 invalid_schema_name.</summary>
    public override bool IsMissingTable(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName };

    public override async Task AcquireLockAsync(DbConnection connection, DbTransaction transaction, int timeoutSeconds, CancellationToken cancellationToken) =>
        // Released by the server when the migration transaction ends, also when the connection dies.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(@Key)",
            new { Key = _lockKey },
            transaction,
            timeoutSeconds,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
}
