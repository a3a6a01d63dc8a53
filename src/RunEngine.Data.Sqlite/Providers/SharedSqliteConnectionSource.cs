using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Sqlite.Providers;

/// <summary>
/// In-memory databases: a database exists only as long as a connection to it, and every new connection to
/// <c>:memory:</c> is a new, empty database. So one connection is opened on first use, kept for the lifetime of the
/// <see cref="RunEngineDatabase"/>, and lent to one operation at a time under an async lock: releasing gives it back
/// instead of closing it. Sessions and unfinished read enumerations hold it until they are disposed.
/// </summary>
internal sealed class SharedSqliteConnectionSource : ConnectionSource
{
    private readonly string _connectionString;
    private readonly SqliteConnectionPreparer _preparer;

    // Not disposed: a session may still give the connection back after the database was disposed, and a
    // SemaphoreSlim whose AvailableWaitHandle is never used holds no unmanaged resource.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;
    private bool _disposed;

    public SharedSqliteConnectionSource(string connectionString, SqliteConnectionPreparer preparer)
    {
        _connectionString = connectionString;
        _preparer = preparer;
    }

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is null)
            {
                var connection = new SqliteConnection(_connectionString);
                try
                {
                    await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                    await _preparer.PrepareAsync(connection, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                _connection = connection;
            }
            else if (_connection.State != ConnectionState.Open)
            {
                // Reopening would silently start over with an empty database.
                throw new InvalidOperationException(
                    "The connection of the in-memory SQLite database was closed by its user; the database and its data are gone.");
            }

            return _connection;
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    public override ValueTask ReleaseAsync(DbConnection connection)
    {
        _gate.Release();
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
