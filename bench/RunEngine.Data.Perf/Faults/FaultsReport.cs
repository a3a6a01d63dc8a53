using System.Globalization;
using System.Text.Json;
using RunEngine.Data.Perf.Output;

namespace RunEngine.Data.Perf.Faults;

/// <summary>The fault workload's figures: one Markdown table per database (stdout), and the cells as JSON.</summary>
internal static class FaultsReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Write(TextWriter output, EnvironmentInfo environment, int seed, int rounds, IReadOnlyList<FaultCellResult> results)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Fault injection, retry on: {rounds} round(s), random cut points from seed {seed} (rerun with --seed {seed}); load average at start {environment.LoadAtStart ?? "n/a"}, at end {environment.LoadAtEnd ?? "n/a"}."));
        foreach (var database in results.Select(r => r.Database).Distinct())
        {
            var rows = results.Where(r => r.Database == database).ToList();
            output.WriteLine();
            var version = environment.Databases.TryGetValue(database, out var v) ? $" {v}" : string.Empty;
            output.WriteLine($"{database}{version}:");
            output.WriteLine();
            output.WriteLine("| Operation | Faults injected | Operations survived | Rows lost | Rows doubled | Changes lost | Changes doubled | Failed calls half-written |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var operation in rows.Select(r => r.Operation).Distinct())
            {
                var cells = rows.Where(r => r.Operation == operation).ToList();
                var countsRows = cells[0].CountsRows;
                string Figure(bool applies, long value) => applies ? value.ToString(CultureInfo.InvariantCulture) : "–";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {operation} | {cells.Sum(c => c.FaultsFired)} | {cells.Count(c => c.Survived)} of {cells.Count} | {Figure(countsRows, cells.Sum(c => c.Lost))} | {Figure(countsRows, cells.Sum(c => c.Doubled))} | {Figure(!countsRows, cells.Sum(c => c.Lost))} | {Figure(!countsRows, cells.Sum(c => c.Doubled))} | {cells.Count(c => c.HalfWritten)} |"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| **all** | {rows.Sum(c => c.FaultsFired)} | {rows.Count(c => c.Survived)} of {rows.Count} | {rows.Where(c => c.CountsRows).Sum(c => c.Lost)} | {rows.Where(c => c.CountsRows).Sum(c => c.Doubled)} | {rows.Where(c => !c.CountsRows).Sum(c => c.Lost)} | {rows.Where(c => !c.CountsRows).Sum(c => c.Doubled)} | {rows.Count(c => c.HalfWritten)} |"));
            foreach (var failure in rows.Where(r => !r.Survived))
            {
                output.WriteLine($"- failed: {failure.Operation}, {failure.Point}: {failure.Failure?.ReplaceLineEndings(" ")}");
            }
        }
    }

    public static async Task WriteJsonAsync(
        string path, EnvironmentInfo environment, int seed, int rounds, IReadOnlyList<FaultCellResult> results, CancellationToken cancellationToken)
    {
        var report = new
        {
            workload = "faults",
            seed,
            rounds,
            loadAtStart = environment.LoadAtStart,
            loadAtEnd = environment.LoadAtEnd,
            databases = environment.Databases,
            cells = results,
        };
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, report, Json, cancellationToken);
    }
}
