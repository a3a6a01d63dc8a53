using System.Data.Common;
using Microsoft.Data.Sqlite;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Sqlite.Providers;

/// <summary>File databases: a new (pooled by Microsoft.Data.Sqlite) connection per operation, prepared with the PRAGMAs.</summary>
internal sealed class PooledSqliteConnectionSource : ConnectionSource
{
    // Microsoft.Data.Sqlite's pool can lend one native connection to two opens that race (dotnet/efcore#39008: the pooled
    // connection is marked active before its new owner is recorded, so a competing checkout can reclaim it); two
    // transactions then share one handle and the second fails with "cannot start a transaction within a transaction",
    // or worse, runs inside the first. Opening one connection at a time in this process closes the race (the pool is
    // process-wide, per connection string, so the gate is too); a pooled open takes microseconds.
    private static readonly SemaphoreSlim OpenGate = new(1, 1);
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
            await OpenGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                OpenGate.Release();
            }

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
