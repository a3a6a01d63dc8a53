using System.Runtime.CompilerServices;

namespace RunEngine.Data.IntegrationTests.Infrastructure;

/// <summary>Builders of valid stories and cards; tests change the one field they are about.</summary>
public static class TestData
{
    /// <summary>A fresh run id, so that every test works on its own rows.</summary>
    public static Guid NewRunId() => Guid.CreateVersion7();

    /// <summary>A valid story of <paramref name="runId"/> at <paramref name="position"/>, timestamps left unset.</summary>
    public static Story Story(Guid runId, int position) => new()
    {
        Id = Guid.CreateVersion7(),
        RunId = runId,
        Position = position,
        Title = $"Story {position}",
        Body = $"Body of story {position}",
    };

    /// <summary>A valid story of <paramref name="runId"/> at <paramref name="position"/> with <paramref name="status"/>.</summary>
    public static Story Story(Guid runId, int position, StoryStatus status)
    {
        var story = Story(runId, position);
        story.Status = status;
        return story;
    }

    /// <summary>A valid run-log entry of <paramref name="runId"/>, time left unset.</summary>
    public static RunEvent Event(Guid runId, string kind = "test.event", Guid? storyId = null, Guid? cardId = null) => new()
    {
        Id = Guid.CreateVersion7(),
        RunId = runId,
        StoryId = storyId,
        CardId = cardId,
        Kind = kind,
        Message = $"{kind} message",
        Worker = "test-worker",
    };

    /// <summary>A valid card of <paramref name="story"/> at <paramref name="position"/>, timestamps left unset.</summary>
    public static Card Card(Story story, int position) => new()
    {
        Id = Guid.CreateVersion7(),
        RunId = story.RunId,
        StoryId = story.Id,
        Position = position,
        Title = $"Card {position} of story {story.Position}",
        Description = $"Description of card {position}",
    };

    /// <summary>A lazy sequence of <paramref name="count"/> stories at positions <paramref name="firstPosition"/> and up.</summary>
    /// <summary>Writes one <c>Ready</c> story of a new run with <paramref name="cardCount"/> cards (one cycle).</summary>
    public static async Task<(Story Story, List<Card> Cards)> WriteStoryAsync(RunEngineDatabase db, int cardCount)
    {
        var story = Story(NewRunId(), 0, StoryStatus.Ready);
        var cards = Enumerable.Range(0, cardCount).Select(i => Card(story, i)).ToList();
        await db.WriteCycleAsync([story], cards);
        return (story, cards);
    }

    public static IEnumerable<Story> Stories(Guid runId, int count, int firstPosition = 0)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Story(runId, firstPosition + i);
        }
    }

    /// <summary><paramref name="perStory"/> cards for each story, in story order then card order.</summary>
    public static List<Card> Cards(IEnumerable<Story> stories, int perStory) =>
        stories.SelectMany(s => Enumerable.Range(0, perStory).Select(p => Card(s, p))).ToList();

    /// <summary>Yields <paramref name="rows"/> asynchronously, one at a time.</summary>
    public static async IAsyncEnumerable<T> ToAsync<T>(IEnumerable<T> rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }
    }

    /// <summary>Yields <paramref name="rows"/> and cancels <paramref name="source"/> after handing out <paramref name="cancelAfter"/> of them.</summary>
    public static IEnumerable<T> CancellingAfter<T>(IEnumerable<T> rows, int cancelAfter, CancellationTokenSource source)
    {
        var handedOut = 0;
        foreach (var row in rows)
        {
            if (handedOut == cancelAfter)
            {
                source.Cancel();
            }

            handedOut++;
            yield return row;
        }
    }

    /// <summary>Why metadata is compared as JSON rather than as text.</summary>
    public const string SameJsonReason = "metadata must come back as the same JSON document (PostgreSQL's jsonb normalizes spacing and key order)";

    /// <summary>Whether two metadata values are the same JSON document (or both null), whatever their spacing and key order.</summary>
    public static bool SameJson(string? actual, string? expected) =>
        actual is null || expected is null
            ? actual is null && expected is null
            : System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(actual), System.Text.Json.Nodes.JsonNode.Parse(expected));

    /// <summary>What every provider stores for <paramref name="value"/>: the UTC instant, truncated to whole microseconds.</summary>
    public static DateTimeOffset Stored(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}
