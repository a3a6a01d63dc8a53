using System.Globalization;
using RunEngine.Data.Mapping;
using RunEngine.Data.Validation;

namespace RunEngine.Data.Bulk;

/// <summary>
/// The rows of one bulk insert as the provider's writer sees them: the caller's lazy sequence (sync or async),
/// validated row by row as it streams, with cancellation and progress. Never buffers the rows, and remembers of them
/// only a bounded <see cref="RowWindow"/> (ids and parent references of the first rows): a repeated id it can see is
/// rejected before it is sent; the rest is left to the database's constraints and explained after the rollback.
/// </summary>
internal sealed class RowSource<T> : IAsyncDisposable, IDisposable
    where T : class
{
    private readonly IEnumerator<T>? _sync;
    private readonly IAsyncEnumerator<T>? _async;
    private readonly RowValidator<T> _validator;
    private readonly BulkInsertOptions _options;
    private readonly CancellationToken _cancellationToken;
    private readonly HashSet<Guid> _runIds = [];
    private RowWindow? _parentRuns;
    private bool _hasPeeked;
    private long _lastReported;

    private RowSource(
        TableMap<T> map,
        IEnumerator<T>? sync,
        IAsyncEnumerator<T>? async,
        WriteContext context,
        BulkInsertOptions options,
        CancellationToken cancellationToken)
    {
        Map = map;
        _sync = sync;
        _async = async;
        Context = context;
        _validator = new RowValidator<T>(map);
        _options = options;
        _cancellationToken = cancellationToken;
        Window = new RowWindow(hasParents: map.GetParentId is not null);
    }

    /// <summary>The table the rows belong to.</summary>
    public TableMap<T> Map { get; }

    /// <summary>Values shared by the batch (its write time).</summary>
    public WriteContext Context { get; }

    /// <summary>The current row; valid after <see cref="MoveNext"/> or <see cref="MoveNextAsync"/> returned true.</summary>
    public T Current { get; private set; } = null!;

    /// <summary>Rows handed out so far; the current row's position is <c>Count - 1</c>.</summary>
    public long Count { get; private set; }

    /// <summary>The id of the first row handed out (null before it): the row a commit check looks for (see <see cref="Resilience.OperationAttempt"/>).</summary>
    public Guid? FirstId { get; private set; }

    /// <summary>The bounded memory of the batch's first rows (ids, parent references), used to reject and explain errors.</summary>
    public RowWindow Window { get; }

    /// <summary>
    /// The distinct runs the batch's rows belong to (usually one), for the cycle's run-log entries (one per run). It
    /// grows with the number of runs, not of rows, and the log it feeds holds one entry per run anyway.
    /// </summary>
    public IReadOnlySet<Guid> RunIds => _runIds;

    /// <summary>
    /// The position of the row the database rejected, when the writer knows it (a writer that sends one row per
    /// statement calls <see cref="MarkCurrentRejected"/>); null for streamed protocols, which report no row.
    /// </summary>
    public long? RejectedPosition { get; private set; }

    /// <summary>The row the database rejected, when the writer knows it (see <see cref="RejectedPosition"/>).</summary>
    public T? RejectedRow { get; private set; }

    /// <summary>Records that the database rejected the current row (the last one handed out).</summary>
    public void MarkCurrentRejected()
    {
        RejectedPosition = Count - 1;
        RejectedRow = Current;
    }

    /// <summary>
    /// Checks each row's parent reference against <paramref name="parents"/>, the window of the parent rows written
    /// earlier in the same cycle: a row whose parent is there must share the parent's run. Set before the first row.
    /// </summary>
    public void CheckParentRunsAgainst(RowWindow parents) => _parentRuns = parents;

    /// <summary>Opens a synchronous sequence; returns null (and disposes the enumerator) when it has no rows.</summary>
    public static async ValueTask<RowSource<T>?> OpenAsync(
        TableMap<T> map, IEnumerable<T> rows, WriteContext context, BulkInsertOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var source = new RowSource<T>(map, rows.GetEnumerator(), null, context, options, cancellationToken);
        return await source.PeekAsync().ConfigureAwait(false);
    }

    /// <summary>Opens an asynchronous sequence; returns null (and disposes the enumerator) when it has no rows.</summary>
    public static async ValueTask<RowSource<T>?> OpenAsync(
        TableMap<T> map, IAsyncEnumerable<T> rows, WriteContext context, BulkInsertOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var source = new RowSource<T>(map, null, rows.GetAsyncEnumerator(cancellationToken), context, options, cancellationToken);
        return await source.PeekAsync().ConfigureAwait(false);
    }

    /// <summary>Advances to the next valid row. Blocks on an asynchronous source; prefer <see cref="MoveNextAsync"/>.</summary>
    public bool MoveNext()
    {
        if (_sync is not null)
        {
            return Advance(TakePeeked() || _sync.MoveNext());
        }

        return MoveNextAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Advances to the next valid row.</summary>
    public async ValueTask<bool> MoveNextAsync()
    {
        if (_sync is not null)
        {
            return Advance(TakePeeked() || _sync.MoveNext());
        }

        return Advance(TakePeeked() || await _async!.MoveNextAsync().ConfigureAwait(false));
    }

    /// <summary>Sends the final progress report for this table.</summary>
    public void ReportCompleted()
    {
        if (_options.Progress is { } progress && _lastReported != Count)
        {
            _lastReported = Count;
            progress.Report(Count);
        }
    }

    public void Dispose()
    {
        _sync?.Dispose();
        if (_async is not null)
        {
            _async.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _sync?.Dispose();
        if (_async is not null)
        {
            await _async.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<RowSource<T>?> PeekAsync()
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var any = _sync is not null ? _sync.MoveNext() : await _async!.MoveNextAsync().ConfigureAwait(false);
        if (!any)
        {
            await DisposeAsync().ConfigureAwait(false);
            return null;
        }

        _hasPeeked = true;
        return this;
    }

    private bool TakePeeked()
    {
        if (!_hasPeeked)
        {
            return false;
        }

        _hasPeeked = false;
        return true;
    }

    private bool Advance(bool hasRow)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (!hasRow)
        {
            return false;
        }

        var row = _sync is not null ? _sync.Current : _async!.Current;
        var position = Count;
        _validator.Validate(row, position, Context);
        var id = Map.GetId(row);
        var runId = Map.GetRunId(row);
        if (!Window.TryAdd(id, position, runId, out var earlier))
        {
            throw new BatchValidationException(
                Map.EntityName,
                position,
                "Id",
                string.Create(CultureInfo.InvariantCulture, $"repeats the id {id} of the earlier row at position {earlier} of the same batch"));
        }

        _runIds.Add(runId);
        FirstId ??= id;
        if (Map.GetParentId is { } parentOf)
        {
            var parent = parentOf(row);
            Window.AddParent(parent, runId, position);
            if (_parentRuns is not null && _parentRuns.TryGetId(parent, out var parentPosition, out var parentRun) && parentRun != runId)
            {
                throw new BatchValidationException(
                    Map.EntityName,
                    position,
                    "RunId",
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"is run {runId}, but its story {parent} (position {parentPosition} of the cycle's stories) belongs to run {parentRun}; a card and its story must share a run"));
            }
        }

        Current = row;
        Count = position + 1;
        if (_options.Progress is { } progress && Count - _lastReported >= _options.ProgressInterval)
        {
            _lastReported = Count;
            progress.Report(Count);
        }

        return true;
    }
}
