namespace RunEngine.Data.StatusChanges;

/// <summary>A validated change by parent as the provider's writer sends it.</summary>
/// <param name="ParentIds">The distinct parent ids (stories of cards, runs of stories), in Guid order; at least one.</param>
/// <param name="From">The distinct stored status values a row must have to change; at least one.</param>
/// <param name="To">The stored status value the rows get.</param>
/// <param name="Message">The run-log message of every changed row, or null for the default one.</param>
/// <param name="MessageHead">The default message up to the new version ("status set to Cancelled (version "); the writer appends the version and ")".</param>
/// <param name="Now">The write time (updated_at and the log entries' time).</param>
internal sealed record ParentStatusChange(IReadOnlyList<Guid> ParentIds, short[] From, short To, string? Message, string MessageHead, DateTimeOffset Now)
{
    /// <summary>
    /// The base of the call's log entry ids (<see cref="CallEventIds.RangeBase"/>), made once per call: a provider that
    /// writes the entries' ids as base + 1, + 2, … can count what an attempt whose commit outcome is unknown stored.
    /// </summary>
    public Guid EventBase { get; init; } = CallEventIds.RangeBase(Now);

    /// <summary>
    /// The run of a run-scoped change of cards by story: only cards of this run change (a story of another run has
    /// none), and every statement names it; null for the id-only form.
    /// </summary>
    public Guid? RunId { get; init; }

    /// <summary>The message of a row changed to <paramref name="version"/>.</summary>
    public string MessageFor(int version) => Message ?? MessageHead + version.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";

    /// <summary>The parent ids in chunks of at most <paramref name="size"/> (for providers with a parameter limit).</summary>
    public IEnumerable<IReadOnlyList<Guid>> Chunks(int size)
    {
        for (var start = 0; start < ParentIds.Count; start += size)
        {
            var count = Math.Min(size, ParentIds.Count - start);
            var chunk = new Guid[count];
            for (var i = 0; i < count; i++)
            {
                chunk[i] = ParentIds[start + i];
            }

            yield return chunk;
        }
    }
}
