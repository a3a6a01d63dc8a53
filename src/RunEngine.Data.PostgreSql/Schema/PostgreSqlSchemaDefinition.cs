using System.Data.Common;
using Dapper;
using Npgsql;
using RunEngine.Data.Providers;
using RunEngine.Data.Schema;

namespace RunEngine.Data.PostgreSql.Schema;

/// <summary>PostgreSQL's shipped scripts; migrations are serialized by a transaction-scoped advisory lock.</summary>
internal sealed class PostgreSqlSchemaDefinition : SchemaDefinition
{
    private static readonly IReadOnlyList<SchemaScript> ShippedScripts =
        SchemaScriptLoader.Load(typeof(PostgreSqlSchemaDefinition).Assembly, "RunEngine.Data.PostgreSql");

    /// <summary>The migration lock: a transaction-scoped advisory lock on <c>@Key</c>.</summary>
    internal const string LockSql = "SELECT pg_advisory_xact_lock(@Key)";

    private readonly long _lockKey;

    public PostgreSqlSchemaDefinition(TableNames tables)
    {
        _lockKey = SchemaLockKey.For(tables.Schema, tables.Prefix);
    }

    public override IReadOnlyList<SchemaScript> Scripts => ShippedScripts;

    /// <summary>The advisory lock key of this schema and prefix (the same in every process and version of .NET).</summary>
    public long LockKey => _lockKey;

    /// <summary>42P01 undefined_table (also for a schema-qualified name whose schema is missing), 3F000 invalid_schema_name.</summary>
    public override bool IsMissingTable(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName };

    public override async Task AcquireLockAsync(DbConnection connection, DbTransaction transaction, int timeoutSeconds, CancellationToken cancellationToken) =>
        // Released by the server when the migration transaction ends, also when the connection dies.
        await connection.ExecuteAsync(new CommandDefinition(
            LockSql,
            new { Key = _lockKey },
            transaction,
            timeoutSeconds,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
}
