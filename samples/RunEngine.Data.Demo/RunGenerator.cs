using System.Globalization;

namespace RunEngine.Data.Demo;

/// <summary>
/// Stands in for a host application's generator: each cycle produces stories, each story 5 to 12 cards. Ids come
/// from <see cref="RunEngineDatabase.NewId"/> (time-sortable), so cards reference their stories without a round trip.
/// Seeded, so every run of the demo produces the same shape.
/// </summary>
internal sealed class RunGenerator
{
    private static readonly string[] Topics =
    [
        "sign-in flow", "invoice export", "search filters", "audit log", "password reset", "report scheduler",
        "dark mode", "bulk upload", "notification settings", "billing page", "user roles", "API rate limits",
    ];

    private static readonly string[] Steps = ["Design", "Schema", "Backend", "UI", "Tests", "Docs", "Review", "Rollout", "Metrics", "Cleanup", "Security pass", "Load test"];

    private readonly Func<Guid> _newId;
    private readonly Random _random = new(2026);
    private int _nextPosition;

    public RunGenerator(Guid runId, Func<Guid> newId)
    {
        RunId = runId;
        _newId = newId;
    }

    public Guid RunId { get; }

    public CyclePlan NextCycle(int number, int storyCount)
    {
        var stories = new Story[storyCount];
        var cardCounts = new int[storyCount];
        for (var i = 0; i < storyCount; i++)
        {
            var position = _nextPosition++;
            var topic = Topics[_random.Next(Topics.Length)];
            stories[i] = new Story
            {
                Id = _newId(),
                RunId = RunId,
                Position = position,
                Title = string.Create(CultureInfo.InvariantCulture, $"#{position + 1}: {topic}"),
                Body = $"As a user I want a better {topic}, so that my work goes faster.",
                Status = i % 4 == 3 ? StoryStatus.Pending : StoryStatus.Ready,
                Metadata = string.Create(CultureInfo.InvariantCulture, $$"""{"cycle":{{number}},"generator":"demo"}"""),
            };
            cardCounts[i] = _random.Next(5, 13);
        }

        return new CyclePlan(number, stories, Cards(stories, cardCounts), cardCounts.Sum());
    }

    private IEnumerable<Card> Cards(Story[] stories, int[] cardCounts)
    {
        for (var s = 0; s < stories.Length; s++)
        {
            for (var c = 0; c < cardCounts[s]; c++)
            {
                yield return new Card
                {
                    Id = _newId(),
                    RunId = RunId,
                    StoryId = stories[s].Id,
                    Position = c,
                    Title = string.Create(CultureInfo.InvariantCulture, $"{Steps[c % Steps.Length]} for story #{stories[s].Position + 1}"),
                    Description = c == 0 ? "First step; the others follow in order." : null,
                };
            }
        }
    }
}
