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
        Claims = set.Claims(_scopes);
        RunLog = set.RunLog(_scopes);
    }

    /// <summary>The connection the session's calls run on; use it for your own commands in the same transaction.</summary>
    public DbConnection Connection { get; }

    /// <summary>The transaction the session's calls run in; null for a joined connection without one.</summary>
    public DbTransaction? Transaction => _transaction;

    /// <summary>Stories inside this session.</summary>
    public IStoryRepository Stories { get; }

    /// <summary>Cards inside this session.</summary>
    public ICardRepository Cards { get; }

    /// <summary>Work claiming with leases (see <see cref="IStoryClaims"/>).</summary>
    public IStoryClaims Claims { get; }

    /// <summary>The append-only run log.</summary>
    public IRunLog RunLog { get; }

    /// <summary>
    /// Writes a generation cycle — stories, then cards, then run-log entries — in one transaction with one bulk
    /// operation per table, whatever the number of rows. Cards may reference stories of the same cycle. A
    /// <see cref="RunEventKinds.CycleWritten"/> entry per run is logged with it. On any error nothing of the cycle
    /// remains. With <see cref="BulkInsertOptions.ExistingRows"/> = <see cref="ExistingRows.Skip"/>, replaying a cycle
    /// (after a timeout, say) inserts only what is missing.
    /// </summary>
    /// <param name="stories">The cycle's stories (streamed, never buffered).</param>
    /// <param name="cards">The cycle's cards, read after the stories are written.</param>
    /// <param name="options">Bulk options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the write; nothing of the cycle remains.</param>
    public Task<CycleWriteResult> WriteCycleAsync(
        IEnumerable<Story> stories, IEnumerable<Card> cards, BulkInsertOptions? options = null, CancellationToken cancellationToken = default) =>
        _set.Cycles.WriteAsync(_scopes, stories, cards, null, options, cancellationToken);

    /// <summary>Writes a cycle and the caller's own run-log entries for it, all in one transaction.</summary>
    /// <param name="stories">The cycle's stories (streamed, never buffered).</param>
    /// <param name="cards">The cycle's cards, read after the stories are written.</param>
    /// <param name="events">Run-log entries written with the cycle (after its cards).</param>
    /// <param name="options">Bulk options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the write; nothing of the cycle remains.</param>
    public Task<CycleWriteResult> WriteCycleAsync(
        IEnumerable<Story> stories,
        IEnumerable<Card> cards,
        IEnumerable<RunEvent> events,
        BulkInsertOptions? options = null,
        CancellationToken cancellationToken = default) =>
        _set.Cycles.WriteAsync(_scopes, stories, cards, events, options, cancellationToken);

    /// <inheritdoc cref="WriteCycleAsync(IEnumerable{Story}, IEnumerable{Card}, BulkInsertOptions?, CancellationToken)"/>
    public Task<CycleWriteResult> WriteCycleAsync(
        IAsyncEnumerable<Story> stories, IAsyncEnumerable<Card> cards, BulkInsertOptions? options = null, CancellationToken cancellationToken = default) =>
        _set.Cycles.WriteAsync(_scopes, stories, cards, null, options, cancellationToken);

    /// <summary>Counts of the run's stories and cards by status, read in one query.</summary>
    public Task<RunProgress> GetRunProgressAsync(Guid runId, CancellationToken cancellationToken = default) =>
        _set.ProgressAsync(_scopes, runId, cancellationToken);

    /// <summary>Commits the session's transaction. Only for sessions from <see cref="RunEngineDatabase.BeginSessionAsync"/>.</summary>
    /// <remarks>
    /// A session is never retried (its transaction is the caller's unit of work). When the commit fails with a
    /// transient error (the connection broke while the COMMIT was on its way), whether it took effect is unknown: the
    /// error surfaces as a <see cref="CommitOutcomeUnknownException"/> (<see cref="TransientFaultException.Attempts"/> 1,
    /// operation <c>commit</c>) with the driver's error inside.
    /// </remarks>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        var transaction = OwnedTransaction();
        try
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (_set.Provider.Retry.SurfaceCommit(ex, cancellationToken) is { } unknown)
        {
            throw unknown;
        }

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
