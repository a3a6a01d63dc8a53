namespace RunEngine.Data.Demo;

/// <summary>Shows the update API: versioned status changes, a rejected stale update, and a session spanning several calls.</summary>
internal static class StatusTour
{
    public static async Task RunAsync(RunEngineDatabase db, RunSummary summary, CancellationToken cancellationToken)
    {
        Console.WriteLine("Status updates (each names the version it expects):");
        var story = summary.FirstStories[0];

        var version = await db.Stories.UpdateStatusAsync(story.Id, StoryStatus.InProgress, story.Version, cancellationToken);
        Console.WriteLine($"  story #{story.Position + 1}: {story.Status} v{story.Version} -> InProgress v{version}");

        var cards = await db.Cards.GetByStoryAsync(story.Id, cancellationToken).ToListAsync(cancellationToken);
        foreach (var card in cards)
        {
            await db.Cards.UpdateStatusAsync(card.Id, CardStatus.Completed, card.Version, cancellationToken);
        }

        Console.WriteLine($"  its {Counted.Cards(cards.Count)}: Pending v1 -> Completed v2");

        try
        {
            // A second worker still holding version 1 loses: nothing changes.
            await db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Cancelled, story.Version, cancellationToken);
            throw new InvalidOperationException("The stale update was accepted; optimistic concurrency is broken.");
        }
        catch (ConcurrencyConflictException conflict)
        {
            Console.WriteLine($"  stale update rejected: {conflict.Message}");
        }

        version = await db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Completed, version, cancellationToken);
        var stored = await db.Stories.GetAsync(story.Id, cancellationToken)
            ?? throw new InvalidOperationException("The story disappeared.");
        Console.WriteLine($"  story #{story.Position + 1}: InProgress v{version - 1} -> Completed v{version}; read back: {stored.Status} v{stored.Version}");

        if (summary.FirstStories.Count > 1)
        {
            await StartInOneSessionAsync(db, summary.FirstStories[1], cancellationToken);
        }
    }

    /// <summary>Starts a story and all its cards in one transaction: all of it commits, or none of it.</summary>
    private static async Task StartInOneSessionAsync(RunEngineDatabase db, Story story, CancellationToken cancellationToken)
    {
        await using var session = await db.BeginSessionAsync(cancellationToken);
        var cards = await session.Cards.GetByStoryAsync(story.Id, cancellationToken).ToListAsync(cancellationToken);
        await session.Stories.UpdateStatusAsync(story.Id, StoryStatus.InProgress, story.Version, cancellationToken);
        foreach (var card in cards)
        {
            await session.Cards.UpdateStatusAsync(card.Id, CardStatus.InProgress, card.Version, cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
        Console.WriteLine($"  story #{story.Position + 1} and its {Counted.Cards(cards.Count)} -> InProgress in one session (one transaction)");
    }
}
