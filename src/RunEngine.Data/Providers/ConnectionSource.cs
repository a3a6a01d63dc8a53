using System.Data.Common;

namespace RunEngine.Data.Providers;

/// <summary>Where a database's operations get their connections from (a connection string, a data source, or one shared in-memory connection).</summary>
internal abstract class ConnectionSource : IAsyncDisposable
{
    /// <summary>Returns an open, prepared connection for one operation.</summary>
    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Returns an open connection for a session, whose connection the caller may also use for its own statements.
    /// By default the same as <see cref="OpenAsync"/>; PostgreSQL overrides it when the library's own pool skips the
    /// pool reset (a session's connection then comes from a pool that keeps it).
    /// </summary>
    public virtual ValueTask<DbConnection> OpenSessionAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    /// <summary>Gives back a connection obtained from <see cref="OpenAsync"/>. By default it is disposed (returned to the pool).</summary>
    public virtual ValueTask ReleaseAsync(DbConnection connection) => connection.DisposeAsync();

    /// <summary>Releases what the source itself holds.</summary>
    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
