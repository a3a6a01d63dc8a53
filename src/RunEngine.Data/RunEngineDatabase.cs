using System.Data.Common;
using RunEngine.Data.Providers;
using RunEngine.Data.Repositories;
using RunEngine.Data.Schema;

namespace RunEngine.Data;

/// <summary>
/// The entry point: one per database (create it once, share it; it is thread-safe). Created by a provider:
/// <c>SqlServerDatabase.Create</c>, <c>SqliteDatabase.Create</c> or <c>PostgreSqlDatabase.Create</c>.
/// Each repository call takes its own pooled connection; use <see cref="BeginSessionAsync"/> or <see cref="Join"/>
/// to run several calls in one transaction.
/// </summary>
public sealed class RunEngineDatabase : IAsyncDisposable, IDisposable
{
    private readonly RepositorySet _set;
    private readonly ConnectionSource _connections;
    private readonly PooledScopeFactory _scopes;

    internal RunEngineDatabase(DatabaseProvider provider)
    {
        _set = new RepositorySet(provider);
        _connections = provider.CreateConnectionSource();
        _scopes = new PooledScopeFactory(provider, _connections);
        Stories = _set.StoryRepository(_scopes);
        Cards = _set.CardRepository(_scopes);
        Claims = _set.Claims(_scopes);
        RunLog = _set.RunLog(_scopes);
    }

    /// <summary>The provider's display name ("SQL Server", "PostgreSQL", "SQLite").</summary>
    public string ProviderName => _set.Provider.Name;

    /// <summary>Stories, each call in its own connection and transaction.</summary>
    public IStoryRepository Stories { get; }

    /// <summary>Cards, each call in its own connection and transaction.</summary>
    public ICardRepository Cards { get; }

    /// <summary>Work claiming with leases (see <see cref="IStoryClaims"/>).</summary>
    public IStoryClaims Claims { get; }

    /// <summary>The append-only run log.</summary>
    public IRunLog RunLog { get; }

    internal DatabaseProvider Provider => _set.Provider;

    /// <summary>The stores behind the repositories (tests call one attempt of an operation through them).</summary>
    internal RepositorySet Set => _set;

    /// <summary>The pooled scopes of the repositories.</summary>
    internal IScopeFactory Scopes => _scopes;

    /// <summary>
    /// Whether <paramref name="exception"/> (or the exception inside it) is a transient database error, one that a
    /// repeat on a new connection may not meet again: a deadlock victim, a serialization failure, a failover or
    /// throttling, a broken or stalled connection, a busy SQLite database; and every <see cref="TransientFaultException"/>.
    /// Works for SqlClient, Npgsql and Microsoft.Data.Sqlite exceptions without any database created, so hosts can use
    /// it in their own retry policies. Rejected batches, conflicts, constraint violations and cancellations are not
    /// transient. Which codes count, per provider, and why: <c>docs/transactions-and-retries.md</c>.
    /// </summary>
    /// <param name="exception">The error.</param>
    public static bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Resilience.TransientErrors.IsTransient(exception);
    }

    /// <summary>A new time-sortable id (UUID version 7) stamped with the configured <see cref="RunEngineOptions.TimeProvider"/>.</summary>
    public Guid NewId() => Guid.CreateVersion7(_set.Provider.Options.TimeProvider.GetUtcNow());

    /// <summary>
    /// Creates or upgrades the library's tables: applies the shipped scripts not yet recorded in the version table,
    /// in one transaction, serialized against concurrent callers. Safe to call on every start.
    /// </summary>
    /// <returns>The schema version now applied.</returns>
    /// <remarks>
    /// Retried on a transient error, also after a lost commit reply: the migration is idempotent (each attempt reads
    /// the version table again and applies only the scripts not recorded there, in one transaction).
    /// </remarks>
    public Task<int> EnsureSchemaAsync(CancellationToken cancellationToken = default) =>
        _set.Provider.Retry.RunAsync(_scopes, Diagnostics.TelemetryTags.Migrate, (_, token) => EnsureSchemaOnceAsync(token), cancellationToken);

    private async Task<int> EnsureSchemaOnceAsync(CancellationToken cancellationToken)
    {
        var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SchemaMigrator.EnsureSchemaAsync(_set.Provider, connection, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _connections.ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

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

    /// <summary>
    /// Opens a connection and a transaction; the session's repositories all run inside it until
    /// <see cref="RunEngineSession.CommitAsync"/>. Disposing an uncommitted session rolls it back.
    /// </summary>
    public async Task<RunEngineSession> BeginSessionAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _connections.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await _set.Provider.BeginTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
            return new RunEngineSession(_set, connection, transaction, ownsTransaction: true, _connections.ReleaseAsync);
        }
        catch
        {
            await _connections.ReleaseAsync(connection).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs repository calls on a connection the caller owns (it must be open and belong to this provider), inside
    /// <paramref name="transaction"/> when given. The caller keeps ownership: the session never commits, rolls back or
    /// closes them. Without a transaction, each write gets its own transaction on the connection.
    /// </summary>
    public RunEngineSession Join(DbConnection connection, DbTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (transaction is not null && !ReferenceEquals(transaction.Connection, connection))
        {
            throw new ArgumentException("The transaction does not belong to the connection.", nameof(transaction));
        }

        return new RunEngineSession(_set, connection, transaction, ownsTransaction: false, release: null);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _connections.DisposeAsync();

    /// <inheritdoc/>
    public void Dispose() => _connections.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
