namespace RunEngine.Data;

/// <summary>A subtask of a <see cref="Story"/>. Cards carry both their story's id and the run id.</summary>
public sealed class Card
{
    /// <summary>Client-generated, time-sortable id (UUID version 7). Required: <see cref="Guid.Empty"/> is rejected.</summary>
    public Guid Id { get; set; }

    /// <summary>The run that produced this card (the same run as its story). Required.</summary>
    public Guid RunId { get; set; }

    /// <summary>The story this card belongs to. It must exist in the database or in the same cycle.</summary>
    public Guid StoryId { get; set; }

    /// <summary>Zero-based position of the card within its story; unique per story.</summary>
    public int Position { get; set; }

    /// <summary>Title, required, at most <see cref="RunEngineLimits.TitleMaxLength"/> characters.</summary>
    public string Title { get; set; } = string.Empty;

    /// <summary>Optional free text description (unbounded).</summary>
    public string? Description { get; set; }

    /// <summary>Workflow status. Defaults to <see cref="CardStatus.Pending"/>.</summary>
    public CardStatus Status { get; set; } = CardStatus.Pending;

    /// <summary>Optimistic concurrency version; starts at 1 and rises by one on every update made through the library.</summary>
    public int Version { get; set; } = 1;

    /// <summary>Creation time (UTC). When left at its default, the batch's write time is stored.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last update time (UTC). When left at its default, the creation time is stored.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Optional host-specific data as a JSON document (validated as JSON before it is written).</summary>
    public string? Metadata { get; set; }
}
