namespace RunEngine.Data;

/// <summary>
/// An entry of a run's append-only log: what changed, for which story or card, by which worker. The library writes
/// its own entries in the same transaction as the change they record; hosts may add theirs the same way.
/// </summary>
public sealed class RunEvent
{
    /// <summary>Client-generated, time-sortable id. Required: <see cref="Guid.Empty"/> is rejected.</summary>
    public Guid Id { get; set; }

    /// <summary>The run the event belongs to. Required.</summary>
    public Guid RunId { get; set; }

    /// <summary>The story concerned, if any.</summary>
    public Guid? StoryId { get; set; }

    /// <summary>The card concerned, if any.</summary>
    public Guid? CardId { get; set; }

    /// <summary>What happened (see <see cref="RunEventKinds"/> for the library's own kinds). Required, at most 100 characters.</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>Optional human-readable detail, at most 4,000 characters. Never put secrets here.</summary>
    public string? Message { get; set; }

    /// <summary>The worker that made the change, if any; at most 200 characters.</summary>
    public string? Worker { get; set; }

    /// <summary>When it happened (UTC). When left at its default, the write time is stored.</summary>
    public DateTimeOffset OccurredAt { get; set; }
}
