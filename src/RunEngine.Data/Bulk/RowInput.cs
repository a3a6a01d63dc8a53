using RunEngine.Data.Mapping;
using RunEngine.Data.Resilience;

namespace RunEngine.Data.Bulk;

/// <summary>
/// The caller's rows of one table for every attempt of a call (see <see cref="OperationRetry"/>). A materialized
/// collection (<see cref="ICollection{T}"/>, <see cref="IReadOnlyCollection{T}"/>) is read again, identically, by each
/// attempt. A lazy sequence (any other <see cref="IEnumerable{T}"/>, every <see cref="IAsyncEnumerable{T}"/>) is
/// enumerated once per call: its source is kept across attempts while no row was handed to the writer (only the first
/// one peeked), and once a row was taken a failed attempt cannot be repeated.
/// </summary>
internal sealed class RowInput<T> : IAsyncDisposable
    where T : class
{
    private readonly TableMap<T> _map;
    private readonly IEnumerable<T>? _sync;
    private readonly IAsyncEnumerable<T>? _async;
    private RowSource<T>? _kept;
    private bool _opened;

    public RowInput(TableMap<T> map, IEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _map = map;
        _sync = rows;
        Rereadable = rows is ICollection<T> or IReadOnlyCollection<T>;
    }

    public RowInput(TableMap<T> map, IAsyncEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _map = map;
        _async = rows;
    }

    /// <summary>Whether the input is a materialized collection, read again by each attempt.</summary>
    public bool Rereadable { get; }

    /// <summary>Whether a lazy input had a row taken, so an attempt that fails from now on cannot be repeated.</summary>
    public bool Consumed => !Rereadable && _kept is { Count: > 0 };

    /// <summary>Opens the rows for one attempt; null when there are none. Release the source with <see cref="ReleaseAsync"/>.</summary>
    public async ValueTask<RowSource<T>?> OpenAsync(WriteContext context, BulkInsertOptions options, CancellationToken cancellationToken)
    {
        if (Rereadable)
        {
            return await RowSource<T>.OpenAsync(_map, _sync!, context, options, cancellationToken).ConfigureAwait(false);
        }

        if (_opened)
        {
            if (_kept is { Count: > 0 })
            {
                throw new InvalidOperationException("A lazy input cannot be read again once a row was taken.");
            }

            return _kept;
        }

        _opened = true;
        _kept = _sync is not null
            ? await RowSource<T>.OpenAsync(_map, _sync, context, options, cancellationToken).ConfigureAwait(false)
            : await RowSource<T>.OpenAsync(_map, _async!, context, options, cancellationToken).ConfigureAwait(false);
        return _kept;
    }

    /// <summary>Ends one attempt's use of <paramref name="source"/>: a collection's source is disposed, a lazy one kept for the call.</summary>
    public ValueTask ReleaseAsync(RowSource<T>? source) => Rereadable && source is not null ? source.DisposeAsync() : default;

    /// <summary>Marks <paramref name="attempt"/> not repeatable when it took a row of a lazy input and did not send its commit.</summary>
    public void CheckRepeatable(OperationAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (Consumed && !attempt.CommitSent)
        {
            attempt.MarkNotRepeatable();
        }
    }

    /// <summary>Disposes a lazy input's source at the end of the call.</summary>
    public ValueTask DisposeAsync()
    {
        var kept = _kept;
        _kept = null;
        return kept?.DisposeAsync() ?? default;
    }
}
