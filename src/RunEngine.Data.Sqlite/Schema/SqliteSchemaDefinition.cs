using System.Data.Common;
using Microsoft.Data.Sqlite;
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
    /// SQLITE_ERROR (1) with "no such table": SQLite has no finer code for it, so its message (always English, from the
    /// engine itself) is read. An attached schema that does not exist gives "unknown database", read the same way.
    /// </summary>
    public override bool IsMissingTable(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 1 } sqlite
        && (sqlite.Message.Contains("no such table", StringComparison.Ordinal) || sqlite.Message.Contains("unknown database", StringComparison.Ordinal));

    /// <summary>
    /// Nothing to do: the migrator's transaction is an IMMEDIATE one, which already holds SQLite's single write lock
    /// on the whole database, so a concurrent migration waits (busy timeout) until this one commits and then finds
    /// the versions applied.
    /// </summary>
    public override Task AcquireLockAsync(DbConnection connection, DbTransaction transaction, int timeoutSeconds, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
