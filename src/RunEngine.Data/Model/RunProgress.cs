namespace RunEngine.Data;

/// <summary>Counts of a run's stories and cards by status, read in one query.</summary>
public sealed class RunProgress
{
    /// <summary>Creates the progress snapshot.</summary>
    public RunProgress(Guid runId, IReadOnlyDictionary<StoryStatus, long> stories, IReadOnlyDictionary<CardStatus, long> cards)
    {
        ArgumentNullException.ThrowIfNull(stories);
        ArgumentNullException.ThrowIfNull(cards);
        RunId = runId;
        Stories = stories;
        Cards = cards;
        TotalStories = stories.Values.Sum();
        TotalCards = cards.Values.Sum();
    }

    /// <summary>The run.</summary>
    public Guid RunId { get; }

    /// <summary>Stories per status; every status is present (zero when none).</summary>
    public IReadOnlyDictionary<StoryStatus, long> Stories { get; }

    /// <summary>Cards per status; every status is present (zero when none).</summary>
    public IReadOnlyDictionary<CardStatus, long> Cards { get; }

    /// <summary>All stories of the run.</summary>
    public long TotalStories { get; }

    /// <summary>All cards of the run.</summary>
    public long TotalCards { get; }
}
