using System.Data.Common;

namespace RunEngine.Data.Repositories;

/// <summary>
/// The connection (and, for writes, the transaction) of one repository operation. Owns only what it created:
/// a joined caller's connection and transaction are never committed, rolled back or closed here.
/// </summary>
internal sealed class OperationScope : IAsyncDisposable
{
    private readonly Func<DbConnection, ValueTask>? _release;
    private readonly bool _ownsTransaction;
    private bool _completed;

    public OperationScope(DbConnection connection, DbTransaction? transaction, bool ownsTransaction, Func<DbConnection, ValueTask>? release)
    {
        Connection = connection;
        Transaction = transaction;
        _ownsTransaction = ownsTransaction;
        _release = release;
    }

    public DbConnection Connection { get; }

    public DbTransaction? Transaction { get; private set; }

    /// <summary>Whether the transaction was begun for this operation (false for a caller's or a session's transaction).</summary>
    public bool OwnsTransaction => _ownsTransaction;

    /// <summary>
    /// When the scope owns a transaction the database has already doomed (SQL Server ends the transaction when a bulk
    /// copy fails), rolls it back so that diagnostic queries can run on the connection without it. The operation fails
    /// afterwards in any case. Returns false when the scope does not own the transaction or the connection is gone.
    /// </summary>
    public async Task<bool> TryAbandonTransactionAsync()
    {
        if (!_ownsTransaction || Transaction is null)
        {
            return false;
        }

        var transaction = Transaction;
        Transaction = null;
        _completed = true;
        try
        {
            if (transaction.Connection is not null)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // Already rolled back by the server (a "zombie" transaction); the connection itself may still work.
        }
        finally
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
        }

        return Connection.State == System.Data.ConnectionState.Open;
    }

    /// <summary>
    /// Marks <paramref name="attempt"/>'s commit as sent when what the operation sends next makes its change durable:
    /// the COMMIT of the scope's own transaction, or a write in autocommit (no transaction). Inside a caller's or a
    /// session's transaction nothing is durable until the caller commits, so nothing is marked.
    /// </summary>
    public void MarkCommitSent(Resilience.OperationAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (Transaction is null || _ownsTransaction)
        {
            attempt.MarkCommitSent();
        }
    }

    /// <summary>Commits the transaction when this scope created it; otherwise the caller's transaction decides.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_ownsTransaction && Transaction is not null)
        {
            await Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_ownsTransaction && Transaction is not null)
            {
                if (!_completed && Transaction.Connection is not null)
                {
                    // Rollback must run even when the operation's token was cancelled.
                    await Transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                }

                await Transaction.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (DbException)
        {
            // The connection is broken (killed, timed out); the server rolls the transaction back on its own.
        }
        catch (InvalidOperationException)
        {
            // Same as above for providers that report a closed connection this way.
        }
        finally
        {
            if (_release is not null)
            {
                await _release(Connection).ConfigureAwait(false);
            }
        }
    }
}
