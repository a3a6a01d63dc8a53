using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;

namespace RunEngine.Data.Repositories;

/// <summary>
/// One <c>WriteCycleAsync</c> call across its attempts: the inputs (read again, or kept, per <see cref="RowInput{T}"/>),
/// the values made once per call (the write time, the <c>cycle.written</c> entries' ids, so a repeat writes the same
/// values), and what the attempt that sent its commit would have returned.
/// </summary>
internal sealed class CycleCall
{
    private readonly Dictionary<Guid, Guid> _traceIds = [];

    public CycleCall(RowInput<Story> stories, RowInput<Card> cards, IEnumerable<RunEvent> events, BulkInsertOptions options, WriteContext context, long started)
    {
        Stories = stories;
        Cards = cards;
        Events = events;
        Options = options;
        Context = context;
        Started = started;
    }

    public RowInput<Story> Stories { get; }

    public RowInput<Card> Cards { get; }

    /// <summary>The caller's run-log entries (the cycle's own trace is added per attempt).</summary>
    public IEnumerable<RunEvent> Events { get; }

    /// <summary>Whether the caller's entries are a collection, read again identically by each attempt.</summary>
    public bool EventsRereadable => Events is ICollection<RunEvent> or IReadOnlyCollection<RunEvent>;

    /// <summary>Whether an attempt has taken the caller's entries (a lazy sequence of them cannot be read again).</summary>
    public bool EventsTaken { get; set; }

    public BulkInsertOptions Options { get; }

    /// <summary>The call's write time (unset timestamps, the trace entries' time and ids).</summary>
    public WriteContext Context { get; }

    /// <summary>The call's start (<see cref="TimeProvider.GetTimestamp"/>): a result's elapsed time spans every attempt.</summary>
    public long Started { get; }

    /// <summary>
    /// Set just before an attempt sends its commit: the result it returns if the commit holds, and the id of one
    /// run-log entry it wrote that exists only if it does (null when no entry proves it; see <c>CycleWriter</c>).
    /// </summary>
    public (CycleWriteResult Result, Guid? Marker)? Committed { get; set; }

    /// <summary>The id of the run's <c>cycle.written</c> entry, made once per call.</summary>
    public Guid TraceId(Guid runId)
    {
        if (!_traceIds.TryGetValue(runId, out var id))
        {
            id = Guid.CreateVersion7(Context.Now);
            _traceIds[runId] = id;
        }

        return id;
    }

    /// <summary>Whether every input can be given to one more attempt (a lazy one only while none of its rows was taken).</summary>
    public bool CanWriteAgain => !Stories.Consumed && !Cards.Consumed && (EventsRereadable || !EventsTaken);
}
