namespace RunEngine.Data.Perf.Workload;

/// <summary>
/// A fixed pool of realistic texts, built once, so that generating a row costs an object and no string formatting:
/// the generator's own cost stays small next to what is measured, for every method alike.
/// </summary>
internal static class Texts
{
    private const int PoolSize = 1_024;

    private static readonly string[] Words =
    [
        "parser", "loader", "validator", "scheduler", "exporter", "indexer", "renderer", "uploader",
        "notifier", "cache", "migrator", "collector", "planner", "reviewer", "tokenizer", "formatter",
    ];

    public static readonly string[] Titles = Build(i => $"Card {i}: implement the {Words[i % Words.Length]} step of the pipeline");

    public static readonly string[] StoryTitles = Build(i => $"Story {i}: {Words[i % Words.Length]} and {Words[(i * 7) % Words.Length]}");

    public static readonly string[] Descriptions = Build(i =>
        $"As a user I want the {Words[i % Words.Length]} to be {Words[(i * 3) % Words.Length]} so that the run completes. " +
        $"Acceptance: the {Words[(i * 5) % Words.Length]} is checked, logged and retried once on failure ({i}).");

    public static readonly string[] Metadata = Build(i => $"{{\"priority\":{i % 5},\"labels\":[\"{Words[i % Words.Length]}\",\"gen\"],\"estimate\":{i % 13}}}");

    public static string Pick(string[] pool, int index) => pool[index & (PoolSize - 1)];

    private static string[] Build(Func<int, string> make)
    {
        var pool = new string[PoolSize];
        for (var i = 0; i < pool.Length; i++)
        {
            pool[i] = make(i);
        }

        return pool;
    }
}
