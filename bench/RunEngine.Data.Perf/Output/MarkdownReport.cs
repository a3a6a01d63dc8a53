using System.Globalization;
using RunEngine.Data.Perf.Measurement;

namespace RunEngine.Data.Perf.Output;

/// <summary>The results as Markdown: one table per database, the statement source, then the issue's targets checked.</summary>
internal static class MarkdownReport
{
    public static void Write(TextWriter output, EnvironmentInfo environment, IReadOnlyList<Measurement.Measurement> results, IReadOnlyDictionary<string, string> notes)
    {
        output.WriteLine($"Measured {environment.DateUtc} on {environment.Cpu} ({environment.LogicalCores} logical cores), {environment.Os}, {environment.Runtime}; load average {environment.LoadAtStart ?? "?"} at start, {environment.LoadAtEnd ?? "?"} at end.");
        foreach (var (name, version) in environment.Databases)
        {
            output.WriteLine($"- {name} {version}");
        }

        foreach (var database in results.Select(r => r.Database).Distinct())
        {
            var cells = results.Where(r => r.Database == database).ToList();
            output.WriteLine();
            output.WriteLine($"### {database}");
            output.WriteLine();
            output.WriteLine("| method | cards | rows | median ms | cpu ms | rows/s | × naive | ÷ raw-limit | statements | bytes/row | runs | note |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var c in cells.OrderBy(c => c.Cards).ThenBy(c => Array.IndexOf(Cli.PerfOptions.AllMethods, c.Method)))
            {
                output.WriteLine(c.Skipped
                    ? $"| {c.Method} | {N(c.Cards)} | {N(c.Rows)} | – | – | – | – | – | – | – | 0 | {c.Note} |"
                    : $"| {c.Method} | {N(c.Cards)} | {N(c.Rows)} | {F(c.MedianMs, c.MedianMs < 10 ? 2 : 1)} | {F(c.CpuMs, c.CpuMs < 10 ? 2 : 1)} | {N(c.RowsPerSecond)} | {Ratio(c.SpeedupVsNaive)} | {Ratio(c.TimeVsRawLimit)} | {(c.Statements is { } s ? N(s) : "n/a")} | {N(c.BytesPerRow)} | {c.Repetitions} | {c.Note} |");
            }

            output.WriteLine();
            output.WriteLine("cpu ms: this process's CPU time (all threads) in the median run; wall time above it is waiting (disk, server, network, or other processes on a busy machine).");
            output.WriteLine($"Statements: {cells.FirstOrDefault(c => c.StatementSource is not null)?.StatementSource ?? "n/a"}.");
            if (notes.TryGetValue(database, out var note))
            {
                output.WriteLine(note);
            }

            output.WriteLine();
            output.WriteLine("Targets:");
            foreach (var line in TargetCheck.Lines(cells))
            {
                output.WriteLine($"- {line}");
            }
        }
    }

    public static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string F(double value, int decimals) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Ratio(double? value) => value is { } v ? F(v, v < 10 ? 2 : 1) + "×" : "–";
}
