using RunEngine.Data.Perf.Output;

namespace RunEngine.Data.Perf.Streaming;

/// <summary>The streaming check as Markdown: one row per database and size, then one verdict per database.</summary>
internal static class StreamingReport
{
    public static void Write(TextWriter output, EnvironmentInfo environment, IReadOnlyList<StreamingResult> results)
    {
        // One kind per run of the runner: inserted cards, or card status changes (--streaming-changes).
        var changes = results.Count > 0 && results.All(r => r.Kind == StatusChangeStreamingCheck.Kind);
        var rows = changes ? "changes" : "cards";
        output.WriteLine($"Streaming check{(changes ? " (card status changes through Cards.UpdateStatusesAsync)" : string.Empty)}, {environment.DateUtc}, {environment.Cpu}, {environment.Runtime}.");
        output.WriteLine();
        output.WriteLine($"| database | {rows} | seconds | live heap before MB | live heap peak MB | **live growth MB** | peak in use (garbage included) MB | allocated MB | gen0 / gen2 GCs (induced) | process peak working set so far MB | growth ≤ 32 MB |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            output.WriteLine(
                $"| {r.Database} | {MarkdownReport.N(r.Cards)} | {MarkdownReport.F(r.Seconds, 1)} | {Mb(r.BaselineLiveBytes)} | {Mb(r.PeakLiveBytes)} | **{Mb(r.LiveGrowthBytes)}** | {Mb(r.PeakInUseBytes)} | {Mb(r.AllocatedBytes)} | {r.Gen0Collections} / {r.Gen2Collections} ({r.InducedCollections}) | {Mb(r.PeakWorkingSetBytes)} | {(r.Met ? "met" : "MISSED")} |");
        }

        var summaries = StreamingSummary.Of(results);
        if (summaries.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("| database | growth at smallest MB | growth at largest MB | ratio | growth ≤ 32 MB | ratio ≤ 1.5 |");
            output.WriteLine("|---|---:|---:|---:|---|---|");
            foreach (var s in summaries)
            {
                output.WriteLine(
                    $"| {s.Database} | {Mb(s.SmallGrowthBytes)} ({MarkdownReport.N(s.SmallCards)} {rows}) | {Mb(s.LargeGrowthBytes)} ({MarkdownReport.N(s.LargeCards)} {rows}) | {MarkdownReport.F(s.Ratio, 2)} | {(s.GrowthMet ? "met" : "MISSED")} | {(s.RatioMet ? "met" : "MISSED")} |");
            }
        }

        output.WriteLine();
        output.WriteLine(
            "Live heap: HeapSizeBytes − FragmentedBytes of full blocking collections (GC.GetGCMemoryInfo), induced every second, once " +
            $"when the last {(changes ? "change" : "card")} has been pulled, and read after the runtime's own gen2 collections; growth is its peak over the value " +
            "before the batch. Peak in use: GC.GetTotalMemory(false) every 2 ms, garbage not yet collected included (depends on the GC's " +
            "gen0 budget). Ratio: growth at the largest size over growth at the smallest, each taken as at least 1 MB. Working set: the " +
            "process's peak so far (all earlier runs included), native memory too (SQLite's page cache, Npgsql's buffers).");
        if (changes)
        {
            output.WriteLine();
            output.WriteLine("Status changes: the N cards are bulk-inserted before the baseline and not measured; the changes (each card to Completed from version 1) stream from a lazy generator through one Cards.UpdateStatusesAsync call.");
        }
    }

    private static string Mb(long bytes) => MarkdownReport.F(bytes / 1048576.0, 1);
}
