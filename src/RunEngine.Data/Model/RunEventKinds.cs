namespace RunEngine.Data;

/// <summary>The kinds of <see cref="RunEvent"/> the library writes itself.</summary>
public static class RunEventKinds
{
    /// <summary>A cycle's stories and cards were written (message: counts inserted and skipped).</summary>
    public const string CycleWritten = "cycle.written";

    /// <summary>A story's status was changed through <see cref="IStoryRepository.UpdateStatusAsync(Guid, StoryStatus, int, CancellationToken)"/>.</summary>
    public const string StoryStatusChanged = "story.status";

    /// <summary>A card's status was changed through <see cref="ICardRepository.UpdateStatusAsync(Guid, CardStatus, int, CancellationToken)"/>.</summary>
    public const string CardStatusChanged = "card.status";

    /// <summary>A worker claimed a story.</summary>
    public const string StoryClaimed = "story.claimed";

    /// <summary>A worker renewed its lease on a story.</summary>
    public const string LeaseRenewed = "story.lease_renewed";

    /// <summary>A worker completed a story (message: the resulting status).</summary>
    public const string StoryCompleted = "story.completed";

    /// <summary>A worker released a story without completing it.</summary>
    public const string StoryReleased = "story.released";
}
