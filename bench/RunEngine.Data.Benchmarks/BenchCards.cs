namespace RunEngine.Data.Benchmarks;

/// <summary>Lazily generated cards like the perf runner's: texts from a fixed pool, so a row costs one object.</summary>
internal static class BenchCards
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Titles = Enumerable.Range(0, 64).Select(i => $"Card {i}: implement the parser step of the pipeline").ToArray();

    private static readonly string[] Descriptions = Enumerable.Range(0, 64)
        .Select(i => $"As a user I want the loader to be cached so that the run completes. Acceptance: the step is checked, logged and retried ({i}).")
        .ToArray();

    private static readonly string[] Metadata = Enumerable.Range(0, 64).Select(i => $"{{\"priority\":{i % 5},\"labels\":[\"parser\",\"gen\"],\"estimate\":{i % 13}}}").ToArray();

    public static readonly Guid RunId = new(0x7FFF_FFFF, 0, 0x7000, 0x80, 1, 0, 0, 0, 0, 0, 1);

    public static IEnumerable<Card> Stream(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var time = Epoch.AddTicks(i * 10L);
            yield return new Card
            {
                Id = new Guid((uint)i, 2, 0x7000, 0x80, 0x42, 0, 0, 0, 0, 0, 7),
                RunId = RunId,
                StoryId = new Guid((uint)(i / 10), 1, 0x7000, 0x80, 0x42, 0, 0, 0, 0, 0, 7),
                Position = i % 10,
                Title = Titles[i & 63],
                Description = Descriptions[i & 63],
                Status = CardStatus.Pending,
                Version = 1,
                CreatedAt = time,
                UpdatedAt = time,
                Metadata = (i & 1) == 0 ? Metadata[i & 63] : null,
            };
        }
    }
}
