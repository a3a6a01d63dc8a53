using System.Data.Common;
using RunEngine.Data.Schema;

namespace RunEngine.Data.Sqlite.Schema;

/// <summary>The embedded SQLite scripts (<c>Scripts/NNN_*.sql</c>).</summary>
internal sealed class SqliteSchemaDefinition : SchemaDefinition
{
    private static readonly IReadOnlyList<SchemaScript> s_scripts =
        SchemaScriptLoader.Load(typeof(SqliteSchemaDefinition).Assembly, "RunEngine.Data.Sqlite");

    public static SqliteSchemaDefinition Instance { get; } = new();

    public override IReadOnlyList<SchemaScript> Scripts => s_scripts;

    /// <summary>
    /// Nothing to do: the migrator's transaction is an IMMEDIATE one, which already holds SQLite's single write lock
    /// on the whole database, so a concurrent migration waits (busy timeout) until this one commits and then finds
    /// the versions applied.
    /// </summary>
    public override Task AcquireLockAsync(DbConnection connection, DbTransaction transaction, int timeoutSeconds, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
