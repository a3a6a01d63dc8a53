namespace RunEngine.Data.Perf.Workload;

/// <summary>
/// One cycle to write: <see cref="Cards"/> cards spread over stories of <see cref="CardsPerStory"/> cards each.
/// Entities are generated lazily (what a host hands the library); the raw-limit methods use <see cref="Prebuilt"/>.
/// </summary>
internal sealed class CycleWorkload
{
    public const int CardsPerStory = 10;

    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <param name="cards">Cards in the cycle.</param>
    /// <param name="run">0 for measured runs; warm-up runs that write into the same tables without a reset use 1-255,
    /// which gives them their own run id and row ids.</param>
    public CycleWorkload(int cards, int run = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cards);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(run, 255);
        Cards = cards;
        Run = run;
        Stories = (cards + CardsPerStory - 1) / CardsPerStory;
        RunId = BenchIds.Run(run);
    }

    public int Run { get; }

    public int Cards { get; }

    public int Stories { get; }

    /// <summary>Rows written per cycle: stories plus cards.</summary>
    public long Rows => (long)Cards + Stories;

    public Guid RunId { get; }

    /// <summary>Creation time of row <paramref name="index"/>: distinct, UTC, whole microseconds.</summary>
    public static DateTimeOffset Time(int index) => Epoch.AddTicks(index * 10L);

    public Story NewStory(Guid runId, int i)
    {
        var time = Time(i);
        return new Story
        {
            Id = BenchIds.Story(i, Run),
            RunId = runId,
            Position = i,
            Title = Texts.Pick(Texts.StoryTitles, i),
            Body = Texts.Pick(Texts.Descriptions, i),
            Status = StoryStatus.Ready,
            Version = 1,
            CreatedAt = time,
            UpdatedAt = time,
            Metadata = Texts.Pick(Texts.Metadata, i),
        };
    }

    public Card NewCard(Guid runId, int i)
    {
        var time = Time(i);
        return new Card
        {
            Id = BenchIds.Card(i, Run),
            RunId = runId,
            StoryId = BenchIds.Story(i / CardsPerStory, Run),
            Position = i % CardsPerStory,
            Title = Texts.Pick(Texts.Titles, i),
            Description = Texts.Pick(Texts.Descriptions, i + 1),
            Status = CardStatus.Pending,
            Version = 1,
            CreatedAt = time,
            UpdatedAt = time,
            Metadata = (i & 1) == 0 ? Texts.Pick(Texts.Metadata, i) : null,
        };
    }

    /// <summary>The stories, generated one by one as they are pulled.</summary>
    public IEnumerable<Story> StoryStream()
    {
        for (var i = 0; i < Stories; i++)
        {
            yield return NewStory(RunId, i);
        }
    }

    /// <summary>The cards, generated one by one as they are pulled.</summary>
    public IEnumerable<Card> CardStream()
    {
        for (var i = 0; i < Cards; i++)
        {
            yield return NewCard(RunId, i);
        }
    }

    /// <summary>Every value built in advance, outside the timed region (the raw-limit methods' input).</summary>
    public PrebuiltRows Prebuilt() => new(
        StoryStream().Select(ToRow).ToArray(),
        CardStream().Select(ToRow).ToArray());

    private static StoryRow ToRow(Story s) => new(
        s.Id, s.RunId, s.Position, s.Title, s.Body, (short)s.Status, s.Version, s.CreatedAt, s.UpdatedAt, s.Metadata, s.ClaimedBy, s.LeaseExpiresAt);

    private static CardRow ToRow(Card c) => new(
        c.Id, c.RunId, c.StoryId, c.Position, c.Title, c.Description, (short)c.Status, c.Version, c.CreatedAt, c.UpdatedAt, c.Metadata);
}
