namespace RunEngine.Data.StatusChanges;

/// <summary>
/// One call of a set-based status change across its attempts: the options, the write time and the base of the log
/// entry ids (made once per call, so a repeat writes the same values), and the changes as the current attempt reads
/// them. A repeat reads the changes again only when nothing of them was taken yet, or when the input is a
/// materialized collection (<see cref="ChangeCursor.Reopen"/>).
/// </summary>
internal sealed class StatusChangeCall : IAsyncDisposable
{
    private StatusChangeSource _source;

    public StatusChangeCall(StatusChangeSource source, string entity, StatusChangeOptions options, DateTimeOffset now, Guid eventBase)
    {
        _source = source;
        Entity = entity;
        Options = options;
        Now = now;
        EventBase = eventBase;
    }

    public string Entity { get; }

    public StatusChangeOptions Options { get; }

    /// <summary>The batch's write time (updated_at and the log entries' time).</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The base of the log entry ids (<see cref="CallEventIds"/>).</summary>
    public Guid EventBase { get; }

    /// <summary>
    /// The run of a run-scoped call: every statement names it, and a change of a row of another run is reported
    /// missing; null for the id-only form.
    /// </summary>
    public Guid? RunId { get; init; }

    /// <summary>
    /// The number of changes the last attempt that sent its commit had sent (null before any did): what a repeat
    /// reports as changed when that commit is found stored in all-or-nothing mode.
    /// </summary>
    public long? CommittedCount { get; set; }

    /// <summary>
    /// The changes from their start for an attempt: the current source while nothing of it was taken, else a new one
    /// over the reopened collection; null when the input is lazy and was already read (it cannot be repeated).
    /// </summary>
    public async ValueTask<StatusChangeSource?> FromStartAsync(CancellationToken cancellationToken)
    {
        if (_source.Untouched)
        {
            return _source;
        }

        if (_source.Cursor.Reopen() is not { } reopened)
        {
            return null;
        }

        var next = await StatusChangeSource.OpenAsync(reopened, Entity, EventBase, cancellationToken).ConfigureAwait(false);
        if (next is null)
        {
            // The caller emptied the collection between attempts: nothing identical to read.
            return null;
        }

        await _source.DisposeAsync().ConfigureAwait(false);
        _source = next;
        return next;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
