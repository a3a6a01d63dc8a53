using RunEngine.Data.Perf.Output;

namespace RunEngine.Data.Perf.Streaming;

/// <summary>The streaming check as Markdown.</summary>
internal static class StreamingReport
{
    public static void Write(TextWriter output, EnvironmentInfo environment, IReadOnlyList<StreamingResult> results)
    {
        output.WriteLine($"Streaming check, {environment.DateUtc}, {environment.Cpu}, {environment.Runtime}.");
        output.WriteLine();
        output.WriteLine("| database | cards | stories | seconds | baseline MB | peak heap in use MB | peak heap after GC MB | allocated MB | gen0 / gen2 GCs | peak working set MB | target < 100 MB |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            output.WriteLine(
                $"| {r.Database} | {MarkdownReport.N(r.Cards)} | {MarkdownReport.N(r.Stories)} | {MarkdownReport.F(r.Seconds, 1)} | {Mb(r.BaselineBytes)} | {Mb(r.PeakInUseBytes)} | {Mb(r.PeakAfterGcBytes)} | {Mb(r.AllocatedBytes)} | {r.Gen0Collections} / {r.Gen2Collections} | {Mb(r.PeakWorkingSetBytes)} | {(r.Met ? "met" : "MISSED")} |");
        }

        output.WriteLine();
        output.WriteLine("Peak heap in use: GC.GetTotalMemory(false) sampled every 2 ms (live objects plus garbage not yet collected). " +
            "Peak heap after GC: GCMemoryInfo.HeapSizeBytes, the largest heap a collection left behind. Working set includes native memory (SQLite's page cache, Npgsql's buffers).");
    }

    private static string Mb(long bytes) => MarkdownReport.F(bytes / 1048576.0, 1);
}
