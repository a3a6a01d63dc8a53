namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>Valid stories and cards for the PostgreSQL-only tests.</summary>
internal static class PgRows
{
    public static List<Story> Stories(Guid runId, int count) =>
        Enumerable.Range(0, count).Select(i => new Story
        {
            Id = Guid.CreateVersion7(),
            RunId = runId,
            Position = i,
            Title = $"Story {i}",
            Body = i % 2 == 0 ? $"Body of story {i}" : null,
            Metadata = i % 3 == 0 ? $"{{\"index\": {i}}}" : null,
        }).ToList();

    public static IEnumerable<Card> Cards(IEnumerable<Story> stories, int perStory) =>
        stories.SelectMany(story => Enumerable.Range(0, perStory).Select(i => new Card
        {
            Id = Guid.CreateVersion7(),
            RunId = story.RunId,
            StoryId = story.Id,
            Position = i,
            Title = $"Card {i} of story {story.Position}",
            Description = i % 2 == 0 ? "A card description" : null,
        }));
}
