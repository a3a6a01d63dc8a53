namespace RunEngine.Data;

/// <summary>
/// A unit of work produced by a run. Stories are written in batches (one bulk operation per cycle)
/// and own the <see cref="Card"/>s that belong to them.
/// </summary>
public sealed class Story
{
    /// <summary>
    /// Client-generated, time-sortable id (UUID version 7). Required: <see cref="Guid.Empty"/> is rejected.
    /// Generate it with <see cref="RunEngineDatabase.NewId"/> (or <see cref="Guid.CreateVersion7()"/>) so that
    /// cards can reference the story inside the same batch without reading ids back.
    /// </summary>
    public Guid Id { get; set; }

    /// <summary>The run that produced this story. Required.</summary>
    public Guid RunId { get; set; }

    /// <summary>Zero-based position of the story within its run; unique per run.</summary>
    public int Position { get; set; }

    /// <summary>Title, required, at most <see cref="RunEngineLimits.TitleMaxLength"/> characters.</summary>
    public string Title { get; set; } = string.Empty;

    /// <summary>Optional free text body (unbounded).</summary>
    public string? Body { get; set; }

    /// <summary>Workflow status. Defaults to <see cref="StoryStatus.Pending"/>.</summary>
    public StoryStatus Status { get; set; } = StoryStatus.Pending;

    /// <summary>
    /// Optimistic concurrency version; starts at 1 and rises by one on every update made through the library.
    /// </summary>
    public int Version { get; set; } = 1;

    /// <summary>Creation time (UTC). When left at its default, the batch's write time is stored.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last update time (UTC). When left at its default, the creation time is stored.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Optional host-specific data as a JSON document (validated as JSON before it is written).</summary>
    public string? Metadata { get; set; }

    /// <summary>
    /// The worker holding the story's lease (set by <see cref="IStoryClaims.ClaimAsync"/>), at most
    /// <see cref="RunEngineLimits.WorkerIdMaxLength"/> characters; null when unclaimed.
    /// </summary>
    public string? ClaimedBy { get; set; }

    /// <summary>When the current lease ends (UTC); null when unclaimed.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }
}
