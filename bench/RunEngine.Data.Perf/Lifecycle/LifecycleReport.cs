using System.Globalization;
using RunEngine.Data.Perf.Output;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>The lifecycle results as Markdown: per database the methods' table, the K/C grid, the statement source and the targets.</summary>
internal static class LifecycleReport
{
    public static void Write(TextWriter output, EnvironmentInfo environment, IReadOnlyList<LifecycleCell> results)
    {
        output.WriteLine($"Measured {environment.DateUtc} on {environment.Cpu} ({environment.LogicalCores} logical cores), {environment.Os}, {environment.Runtime}; load average {environment.LoadAtStart ?? "?"} at start, {environment.LoadAtEnd ?? "?"} at end.");
        foreach (var (name, version) in environment.Databases)
        {
            output.WriteLine($"- {name} {version}");
        }

        foreach (var database in results.Select(r => r.Database).Distinct())
        {
            var cells = results.Where(r => r.Database == database).ToList();
            var main = cells.Where(c => !c.Grid).ToList();
            var first = main.FirstOrDefault() ?? cells[0];
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"### {database}: run lifecycle, {first.Stories:N0} stories × {first.Cards:N0} cards, {first.Workers} workers claiming {first.Claim}"));
            output.WriteLine();
            output.WriteLine("| method | median ms | cpu ms | statements | per story | per worker batch | × faster than per-row | × fewer statements than per-row | runs | note |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var c in main)
            {
                output.WriteLine(c.Failed
                    ? $"| {c.Method} | – | – | – | – | – | – | – | 0 | {c.Note} |"
                    : $"| {c.Method} | {Ms(c.MedianMs)} | {Ms(c.CpuMs)} | {Count(c.Statements)} | {Per(c.StatementsPerStory)} | {Per(c.StatementsPerBatch)} | {Ratio(c.SpeedupVsPerRow)} | {Ratio(c.FewerStatementsVsPerRow)} | {c.Repetitions} | {c.Note} |");
            }

            var grid = cells.Where(c => c.Grid).ToList();
            if (grid.Count > 0)
            {
                var reference = main.FirstOrDefault(c => c.Method == grid[0].Method && !c.Failed);
                output.WriteLine();
                output.WriteLine($"{grid[0].Method}, statements per worker batch as K and C grow (fewer stories, one timed run each):");
                output.WriteLine();
                output.WriteLine("| stories | cards per story | K | batches | statements | per worker batch | idle claim | median ms | note |");
                output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
                foreach (var c in (reference is null ? grid : grid.Prepend(reference)))
                {
                    output.WriteLine(c.Failed
                        ? $"| {N(c.Stories)} | {N(c.Cards)} | {N(c.Claim)} | – | – | – | – | – | {c.Note} |"
                        : $"| {N(c.Stories)} | {N(c.Cards)} | {N(c.Claim)} | {N(c.Batches)} | {Count(c.Statements)} | {Per(c.StatementsPerBatch)} | {Count(c.IdleStatements)} | {Ms(c.MedianMs)} | {c.Note} |");
                }
            }

            output.WriteLine();
            output.WriteLine("cpu ms: this process's CPU time (all threads) in the median run. per worker batch: (statements − workers × idle claim) ÷ batches, the idle claim being one worker's final, empty claim counted apart on the finished run.");
            output.WriteLine($"Statements: {cells.FirstOrDefault(c => c.StatementSource is not null)?.StatementSource ?? "n/a"}.");
            output.WriteLine();
            output.WriteLine("Targets:");
            foreach (var line in LifecycleTargetCheck.Lines(cells))
            {
                output.WriteLine($"- {line}");
            }
        }
    }

    private static string N(double value) => MarkdownReport.N(value);

    private static string Ms(double value) => MarkdownReport.F(value, value < 10 ? 2 : 1);

    private static string Count(long? value) => value is { } v ? N(v) : "n/a";

    private static string Per(double? value) => value is { } v ? MarkdownReport.F(v, v < 10 ? 2 : 1) : "n/a";

    private static string Ratio(double? value) => value is { } v ? MarkdownReport.F(v, v < 10 ? 2 : 1) + "×" : "–";
}
