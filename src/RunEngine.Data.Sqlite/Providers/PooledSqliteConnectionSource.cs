using System.Data.Common;
using Microsoft.Data.Sqlite;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Sqlite.Providers;

/// <summary>File databases: a new (pooled by Microsoft.Data.Sqlite) connection per operation, prepared with the PRAGMAs.</summary>
internal sealed class PooledSqliteConnectionSource : ConnectionSource
{
    private readonly string _connectionString;
    private readonly SqliteConnectionPreparer _preparer;

    public PooledSqliteConnectionSource(string connectionString, SqliteConnectionPreparer preparer)
    {
        _connectionString = connectionString;
        _preparer = preparer;
    }

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await _preparer.PrepareAsync(connection, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
