using System.Runtime.CompilerServices;

namespace RunEngine.Data.StatusChanges;

/// <summary>A <see cref="ChangeCursor"/> over changes of one status enum (stored as a 16-bit value).</summary>
internal sealed class ChangeCursorOf<TStatus> : ChangeCursor
    where TStatus : struct, Enum
{
    private readonly IEnumerator<StatusChange<TStatus>>? _sync;
    private readonly IAsyncEnumerator<StatusChange<TStatus>>? _async;
    private readonly IEnumerable<StatusChange<TStatus>>? _collection;

    static ChangeCursorOf()
    {
        if (Unsafe.SizeOf<TStatus>() != sizeof(short))
        {
            throw new NotSupportedException($"{typeof(TStatus).Name} is not stored as a 16-bit status.");
        }
    }

    public ChangeCursorOf(IEnumerable<StatusChange<TStatus>> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        _sync = changes.GetEnumerator();
        _collection = changes is ICollection<StatusChange<TStatus>> or IReadOnlyCollection<StatusChange<TStatus>> ? changes : null;
    }

    public ChangeCursorOf(IAsyncEnumerable<StatusChange<TStatus>> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        _async = changes.GetAsyncEnumerator(cancellationToken);
    }

    public override string StatusType => typeof(TStatus).Name;

    public override (Guid Id, int ExpectedVersion, short Status, string? Message) Current
    {
        get
        {
            var change = _sync is not null ? _sync.Current : _async!.Current;
            var status = change.Status;
            return (change.Id, change.ExpectedVersion, Unsafe.As<TStatus, short>(ref status), change.Message);
        }
    }

    public override bool MoveNext() => _sync is not null ? _sync.MoveNext() : _async!.MoveNextAsync().AsTask().GetAwaiter().GetResult();

    public override ValueTask<bool> MoveNextAsync() => _sync is not null ? ValueTask.FromResult(_sync.MoveNext()) : _async!.MoveNextAsync();

    public override bool IsDefined(short status) => Enum.IsDefined(Unsafe.As<short, TStatus>(ref status));

    public override string NameOf(short status) => Enum.GetName(Unsafe.As<short, TStatus>(ref status)) ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override bool Rereadable => _collection is not null;

    public override ChangeCursor? Reopen() => _collection is null ? null : new ChangeCursorOf<TStatus>(_collection);

    public override async ValueTask DisposeAsync()
    {
        _sync?.Dispose();
        if (_async is not null)
        {
            await _async.DisposeAsync().ConfigureAwait(false);
        }
    }
}
