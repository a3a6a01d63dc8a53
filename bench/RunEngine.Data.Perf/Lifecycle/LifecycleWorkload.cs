using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>
/// One run to process: <see cref="Stories"/> stories written <see cref="StoryStatus.Ready"/> (claimable), each with
/// <see cref="CardsPerStory"/> <see cref="CardStatus.Pending"/> cards, all at version 1; the same texts and id scheme as
/// the insert workload. Written with the library's <c>WriteCycleAsync</c> before the clock starts.
/// </summary>
internal sealed class LifecycleWorkload
{
    /// <summary>Every row's version after the lifecycle: stories claimed and completed, cards moved twice (1 + 2).</summary>
    public const int FinalVersion = 3;

    public LifecycleWorkload(int stories, int cardsPerStory)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stories);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cardsPerStory);
        Stories = stories;
        CardsPerStory = cardsPerStory;
    }

    public int Stories { get; }

    public int CardsPerStory { get; }

    public long Cards => (long)Stories * CardsPerStory;

    public Guid RunId { get; } = BenchIds.Run(0);

    public IEnumerable<Story> StoryStream()
    {
        for (var i = 0; i < Stories; i++)
        {
            var time = CycleWorkload.Time(i);
            yield return new Story
            {
                Id = BenchIds.Story(i, 0),
                RunId = RunId,
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
    }

    public IEnumerable<Card> CardStream()
    {
        for (var index = 0; index < Cards; index++)
        {
            var time = CycleWorkload.Time(index);
            yield return new Card
            {
                Id = BenchIds.Card(index, 0),
                RunId = RunId,
                StoryId = BenchIds.Story(index / CardsPerStory, 0),
                Position = index % CardsPerStory,
                Title = Texts.Pick(Texts.Titles, index),
                Description = Texts.Pick(Texts.Descriptions, index + 1),
                Status = CardStatus.Pending,
                Version = 1,
                CreatedAt = time,
                UpdatedAt = time,
                Metadata = (index & 1) == 0 ? Texts.Pick(Texts.Metadata, index) : null,
            };
        }
    }
}
