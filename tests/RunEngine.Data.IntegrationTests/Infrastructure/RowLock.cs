using System.Data.Common;

namespace RunEngine.Data.IntegrationTests.Infrastructure;

/// <summary>
/// Another transaction, on a raw connection of its own, holding a lock that a writer of one row has to wait for (see
/// <see cref="ProviderFixture.HoldRowLockAsync"/>), until <see cref="ReleaseAfterAsync"/> or disposal rolls it back.
/// </summary>
public sealed class RowLock : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private bool _released;

    public RowLock(DbConnection connection, DbTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Waits <paramref name="hold"/> (real time), then releases the lock.</summary>
    public async Task ReleaseAfterAsync(TimeSpan hold)
    {
        await Task.Delay(hold);
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        await _transaction.RollbackAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
