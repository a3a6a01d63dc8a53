using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;

namespace RunEngine.Data.Tests.Infrastructure;

/// <summary>Builders for stories and cards with every field set, and for row sources over them.</summary>
internal static class TestRows
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static readonly Guid RunId = Guid.Parse("0190f0a0-0000-7000-8000-000000000001");

    public static WriteContext Context { get; } = new(Now);

    public static Story Story(int position, bool withNulls = false) => new()
    {
        Id = Guid.CreateVersion7(Now.AddSeconds(position)),
        RunId = RunId,
        Position = position,
        Title = $"Story {position} — naïve ✓",
        Body = withNulls ? null : $"Body of story {position}\nsecond line",
        Status = (StoryStatus)(position % 6),
        Version = position + 1,
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(position * 1_234_567L),
        UpdatedAt = withNulls ? default : new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero).AddTicks(7),
        Metadata = withNulls ? null : $$"""{"n":{{position}},"tags":["a","b"]}""",
    };

    public static Card Card(Story story, int position, bool withNulls = false) => new()
    {
        Id = Guid.CreateVersion7(Now.AddSeconds(1_000 + position)),
        RunId = story.RunId,
        StoryId = story.Id,
        Position = position,
        Title = $"Card {position}",
        Description = withNulls ? null : $"Description {position}",
        Status = (CardStatus)(position % 5),
        Version = 1,
        CreatedAt = withNulls ? default : Now.AddMinutes(-position),
        Metadata = withNulls ? null : "[1,2,3]",
    };

    /// <summary>A run-log entry; <paramref name="story"/> and <paramref name="card"/> null leave those columns NULL.</summary>
    public static RunEvent Event(int index, Guid? story = null, Guid? card = null) => new()
    {
        Id = Guid.CreateVersion7(Now.AddSeconds(2_000 + index)),
        RunId = RunId,
        StoryId = story,
        CardId = card,
        Kind = "test.event",
        Message = index % 2 == 0 ? $"message {index}" : null,
        Worker = index % 3 == 0 ? null : $"worker-{index}",
        OccurredAt = Now.AddMinutes(index),
    };

    public static IEnumerable<Story> Stories(int count) => Enumerable.Range(0, count).Select(i => Story(i, withNulls: i % 2 == 1));

    public static async Task<RowSource<T>> OpenAsync<T>(
        TableMap<T> map, IEnumerable<T> rows, BulkInsertOptions? options = null, CancellationToken cancellationToken = default)
        where T : class =>
        await RowSource<T>.OpenAsync(map, rows, Context, options ?? BulkInsertOptions.Default, cancellationToken)
        ?? throw new InvalidOperationException("The test sequence is empty.");
}
