using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace RunEngine.Data.Demo;

/// <summary>What the database holds for one run, counted from the repositories' streaming reads.</summary>
internal sealed class RunSummary
{
    private readonly SortedDictionary<int, (long Stories, long Cards)> _perCycle = [];
    private readonly SortedDictionary<StoryStatus, long> _storyStatuses = [];
    private readonly SortedDictionary<CardStatus, long> _cardStatuses = [];
    private readonly List<Story> _firstStories = [];

    private RunSummary()
    {
    }

    /// <summary>The run's first stories in position order (the status tour uses them).</summary>
    public IReadOnlyList<Story> FirstStories => _firstStories;

    public long Stories { get; private set; }

    public long Cards { get; private set; }

    public TimeSpan ReadTime { get; private set; }

    public static async Task<RunSummary> ReadAsync(RunEngineDatabase db, Guid runId, CancellationToken cancellationToken)
    {
        var summary = new RunSummary();
        var cycleOfStory = new Dictionary<Guid, int>();
        var watch = Stopwatch.StartNew();

        // Both reads stream: rows are counted as they arrive, nothing is buffered by the library.
        await foreach (var story in db.Stories.GetByRunAsync(runId, cancellationToken))
        {
            var cycle = CycleOf(story);
            cycleOfStory.Add(story.Id, cycle);
            summary.Stories++;
            summary.Add(cycle, stories: 1, cards: 0);
            summary._storyStatuses[story.Status] = summary._storyStatuses.GetValueOrDefault(story.Status) + 1;
            if (summary._firstStories.Count < 2)
            {
                summary._firstStories.Add(story);
            }
        }

        await foreach (var card in db.Cards.GetByRunAsync(runId, cancellationToken))
        {
            summary.Cards++;
            summary.Add(cycleOfStory[card.StoryId], stories: 0, cards: 1);
            summary._cardStatuses[card.Status] = summary._cardStatuses.GetValueOrDefault(card.Status) + 1;
        }

        summary.ReadTime = watch.Elapsed;
        return summary;
    }

    /// <summary>Prints the per-cycle table (counts read back, write timings) and the status counts.</summary>
    public void Print(IReadOnlyList<CycleTiming> cycles, TimeSpan totalWallTime)
    {
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Read back from the database: {Counted.Stories(Stories)} and {Counted.Cards(Cards)} in {ReadTime.TotalMilliseconds:N1} ms (two streaming queries)."));
        Console.WriteLine();
        Console.WriteLine("cycle   stories     cards    write ms       rows/s");
        foreach (var cycle in cycles)
        {
            var (stories, cards) = _perCycle.GetValueOrDefault(cycle.Number);
            if (stories != cycle.Result.Stories || cards != cycle.Result.Cards)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Cycle {cycle.Number} wrote {Counted.Stories(cycle.Result.Stories)} and {Counted.Cards(cycle.Result.Cards)}, but {stories:N0} and {cards:N0} were read back."));
            }

            Console.WriteLine(Row(cycle.Number.ToString(CultureInfo.InvariantCulture), stories, cards, cycle.WallTime, cycle.Rows));
        }

        Console.WriteLine(Row("total", Stories, Cards, totalWallTime, Stories + Cards));
        Console.WriteLine("(write ms: wall time of each WriteCycleAsync call; the first cycle includes JIT compilation and opening the database.)");
        Console.WriteLine();
        PrintStatuses("Statuses as written");
    }

    /// <summary>Prints the stories and cards per status as a table (statuses with no rows are left out).</summary>
    public void PrintStatuses(string heading)
    {
        Console.WriteLine($"{heading}:");
        Console.WriteLine("  status           stories      cards");
        var names = _storyStatuses.Keys.Select(s => s.ToString())
            .Union(_cardStatuses.Keys.Select(c => c.ToString()))
            .OrderBy(Rank);
        foreach (var name in names)
        {
            var stories = _storyStatuses.FirstOrDefault(s => s.Key.ToString() == name).Value;
            var cards = _cardStatuses.FirstOrDefault(c => c.Key.ToString() == name).Value;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-12} {stories,11:N0} {cards,10:N0}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"total",-12} {Stories,11:N0} {Cards,10:N0}"));
    }

    // Workflow order, whichever enum the name comes from.
    private static int Rank(string status) =>
        Enum.TryParse<StoryStatus>(status, out var story) ? (int)story * 2 : Enum.TryParse<CardStatus>(status, out var card) ? ((int)card * 2) + 1 : int.MaxValue;

    private static string Row(string label, long stories, long cards, TimeSpan time, long rows) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{label,5} {stories,9:N0} {cards,9:N0} {time.TotalMilliseconds,11:N1} {rows / Math.Max(time.TotalSeconds, 1e-6),12:N0}");

    private static int CycleOf(Story story)
    {
        // The generator stored the cycle number in the story's JSON metadata; PostgreSQL's jsonb may reformat it.
        using var metadata = JsonDocument.Parse(story.Metadata ?? "{}");
        return metadata.RootElement.TryGetProperty("cycle", out var cycle) ? cycle.GetInt32() : 0;
    }

    private void Add(int cycle, long stories, long cards)
    {
        var (s, c) = _perCycle.GetValueOrDefault(cycle);
        _perCycle[cycle] = (s + stories, c + cards);
    }
}
