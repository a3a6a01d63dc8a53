using System.Data.Common;
using RunEngine.Data.Repositories;

namespace RunEngine.Data;

/// <summary>
/// Repositories bound to one connection and transaction: either opened by
/// <see cref="RunEngineDatabase.BeginSessionAsync"/> (the session owns them) or joined by
/// <see cref="RunEngineDatabase.Join"/> (the caller owns them). Not thread-safe, like the connection under it.
/// </summary>
public sealed class RunEngineSession : IAsyncDisposable
{
    private readonly RepositorySet _set;
    private readonly JoinedScopeFactory _scopes;
    private readonly bool _ownsTransaction;
    private readonly Func<DbConnection, ValueTask>? _release;
    private DbTransaction? _transaction;
    private bool _disposed;

    internal RunEngineSession(
        RepositorySet set, DbConnection connection, DbTransaction? transaction, bool ownsTransaction, Func<DbConnection, ValueTask>? release)
    {
        _set = set;
        Connection = connection;
        _transaction = transaction;
        _ownsTransaction = ownsTransaction;
        _release = release;
        _scopes = new JoinedScopeFactory(set.Provider, connection, () => _transaction);
        Stories = set.StoryRepository(_scopes);
        Cards = set.CardRepository(_scopes);
    }

    /// <summary>The connection the session's calls run on; use it for your own commands in the same transaction.</summary>
    public DbConnection Connection { get; }

    /// <summary>The transaction the session's calls run in; null for a joined connection without one.</summary>
    public DbTransaction? Transaction => _transaction;

    /// <summary>Stories inside this session.</summary>
    public IStoryRepository Stories { get; }

    /// <summary>Cards inside this session.</summary>
    public ICardRepository Cards { get; }

    /// <summary>Writes a cycle's stories and cards inside this session's transaction.</summary>
    public Task<CycleWriteResult> WriteCycleAsync(
        IEnumerable<Story> stories, IEnumerable<Card> cards, BulkInsertOptions? options = null, CancellationToken cancellationToken = default) =>
        _set.Cycles.WriteAsync(_scopes, stories, cards, options, cancellationToken);

    /// <inheritdoc cref="WriteCycleAsync(IEnumerable{Story}, IEnumerable{Card}, BulkInsertOptions?, CancellationToken)"/>
    public Task<CycleWriteResult> WriteCycleAsync(
        IAsyncEnumerable<Story> stories, IAsyncEnumerable<Card> cards, BulkInsertOptions? options = null, CancellationToken cancellationToken = default) =>
        _set.Cycles.WriteAsync(_scopes, stories, cards, options, cancellationToken);

    /// <summary>Commits the session's transaction. Only for sessions from <see cref="RunEngineDatabase.BeginSessionAsync"/>.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        var transaction = OwnedTransaction();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        await transaction.DisposeAsync().ConfigureAwait(false);
        _transaction = null;
    }

    /// <summary>Rolls the session's transaction back. Only for sessions from <see cref="RunEngineDatabase.BeginSessionAsync"/>.</summary>
    public async Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        var transaction = OwnedTransaction();
        await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        await transaction.DisposeAsync().ConfigureAwait(false);
        _transaction = null;
    }

    /// <summary>Rolls back an owned, uncommitted transaction and releases an owned connection. Joined resources are left alone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (_ownsTransaction && _transaction is not null)
            {
                await _transaction.DisposeAsync().ConfigureAwait(false);
                _transaction = null;
            }
        }
        finally
        {
            if (_release is not null)
            {
                await _release(Connection).ConfigureAwait(false);
            }
        }
    }

    private DbTransaction OwnedTransaction()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_ownsTransaction)
        {
            throw new InvalidOperationException("A joined session does not own its transaction; commit or roll back the caller's transaction instead.");
        }

        return _transaction ?? throw new InvalidOperationException("The session's transaction has already been committed or rolled back.");
    }
}
