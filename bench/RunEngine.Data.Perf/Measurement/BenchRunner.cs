using System.Diagnostics;
using System.Globalization;
using RunEngine.Data.Perf.Cli;
using RunEngine.Data.Perf.Methods;
using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Measurement;

/// <summary>
/// Runs every method at every size on one database. Per cell: an untimed first run on fresh tables with the statement
/// counter on (it doubles as warm-up), untimed warm-ups for about a second, then the timed repetitions (counter off),
/// each on fresh tables and timed from the call to the committed transaction. Slow methods are capped by a
/// time budget predicted from their previous size, and the cell says so.
/// </summary>
internal sealed class BenchRunner
{
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(1);

    // Runs longer than this get hot within the run itself (and on-stack replacement); they need no extra warm-up.
    private static readonly TimeSpan ShortRun = TimeSpan.FromMilliseconds(250);
    private readonly PerfOptions _options;
    private readonly TextWriter _log;

    public BenchRunner(PerfOptions options, TextWriter log)
    {
        _options = options;
        _log = log;
    }

    public async Task<List<Measurement>> RunAsync(BenchTarget target, IReadOnlyList<IInsertMethod> methods, CancellationToken cancellationToken)
    {
        var results = new List<Measurement>();
        var secondsPerRow = new Dictionary<string, double>();
        foreach (var size in _options.Sizes)
        {
            var workload = new CycleWorkload(size);
            PrebuiltRows? prebuilt = null;
            foreach (var method in methods)
            {
                if (size > _options.LargestCommonSize && !method.RunsLargest)
                {
                    continue;
                }

                if (method.UsesPrebuilt)
                {
                    prebuilt ??= workload.Prebuilt();
                }

                var measurement = await MeasureAsync(target, method, workload, method.UsesPrebuilt ? prebuilt : null, secondsPerRow, cancellationToken);
                results.Add(measurement);
            }

            prebuilt = null;
        }

        Ratios.Fill(results);
        return results;
    }

    private async Task<Measurement> MeasureAsync(
        BenchTarget target,
        IInsertMethod method,
        CycleWorkload workload,
        PrebuiltRows? prebuilt,
        Dictionary<string, double> secondsPerRow,
        CancellationToken cancellationToken)
    {
        var cell = new Measurement { Database = target.Name, Method = method.Name, Cards = workload.Cards, Rows = workload.Rows };
        double? predicted = secondsPerRow.TryGetValue(method.Name, out var perRow) ? perRow * workload.Rows : null;
        var budget = _options.BudgetSeconds;
        if (predicted > budget)
        {
            Log($"{target.Name} {method.Name} {workload.Cards:N0}: skipped, predicted {predicted:F0} s per run > budget {budget:F0} s");
            return cell with
            {
                Skipped = true,
                Note = string.Create(CultureInfo.InvariantCulture, $"not run: predicted {predicted:F0} s per run exceeds the {budget:F0} s time budget"),
            };
        }

        var repetitions = _options.Repetitions(workload.Cards);
        string? note = null;
        if (predicted is { } p && (1 + repetitions) * p > budget * 2)
        {
            repetitions = Math.Max(1, (int)((budget * 2 / p) - 1));
            note = string.Create(CultureInfo.InvariantCulture, $"{repetitions} timed run(s) (time budget)");
        }

        // The counting run, on fresh tables; it is also the first warm-up.
        await target.ResetAsync(cancellationToken);
        await target.PrepareCountingAsync(cancellationToken);
        target.Counter.Start();
        long statements;
        var countingStarted = Stopwatch.GetTimestamp();
        try
        {
            await method.RunAsync(target, workload, prebuilt, cancellationToken);
        }
        finally
        {
            statements = target.Counter.Stop();
        }

        await VerifyAsync(target, method, workload, cancellationToken);
        if (Stopwatch.GetElapsedTime(countingStarted) < ShortRun)
        {
            await WarmUpAsync(target, method, workload, cancellationToken);
        }
        var times = new List<double>();
        var bytes = new List<double>();
        var cpu = new List<double>();
        for (var r = 0; r < repetitions; r++)
        {
            await target.ResetAsync(cancellationToken);
            Stats.FlushOperatingSystemCaches();
            Stats.Settle();
            var allocatedBefore = Stats.AllocatedBytes();
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var started = Stopwatch.GetTimestamp();
            await method.RunAsync(target, workload, prebuilt, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            cpu.Add((Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds);
            bytes.Add(Stats.AllocatedBytes() - allocatedBefore);
            times.Add(elapsed.TotalMilliseconds);
        }

        await VerifyAsync(target, method, workload, cancellationToken);
        var median = Stats.Median(times);
        secondsPerRow[method.Name] = median / 1000.0 / workload.Rows;
        var result = cell with
        {
            Repetitions = repetitions,
            MedianMs = median,
            MinMs = times.Min(),
            MaxMs = times.Max(),
            CpuMs = Stats.Median(cpu),
            Statements = statements,
            StatementSource = target.Counter.Source,
            BytesPerRow = Stats.Median(bytes) / workload.Rows,
            Note = note,
        };
        Log(string.Create(
            CultureInfo.InvariantCulture,
            $"{target.Name} {method.Name,-11} {workload.Cards,9:N0} cards: {median,10:N1} ms  {result.RowsPerSecond,12:N0} rows/s  {Stats.Median(cpu),8:N1} cpu-ms {statements,8} stmts  {result.BytesPerRow,8:N0} B/row  [{string.Join(" ", times.Select(t => t.ToString("N1", CultureInfo.InvariantCulture)))}]"));
        return result;
    }

    /// <summary>
    /// Short cells (under 250 ms) run again until about a second has passed (at most 60 runs), so tiered JIT and dynamic PGO have
    /// settled the code of every method before the clock starts, as they have in a long-running host. The extra runs
    /// write other ids into the same tables (no reset between them); the timed runs start from fresh tables again.
    /// </summary>
    private static async Task WarmUpAsync(BenchTarget target, IInsertMethod method, CycleWorkload workload, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        for (var run = 1; run <= 60 && Stopwatch.GetElapsedTime(started) < WarmUpTime; run++)
        {
            var warm = new CycleWorkload(workload.Cards, run);
            await method.RunAsync(target, warm, method.UsesPrebuilt ? warm.Prebuilt() : null, cancellationToken);
        }
    }

    private static async Task VerifyAsync(BenchTarget target, IInsertMethod method, CycleWorkload workload, CancellationToken cancellationToken)
    {
        var (stories, cards) = await target.CountRowsAsync(cancellationToken);
        if (stories != workload.Stories || cards != workload.Cards)
        {
            throw new InvalidOperationException(
                $"{target.Name} {method.Name}: expected {workload.Stories} stories and {workload.Cards} cards, found {stories} and {cards}.");
        }
    }

    private void Log(string line) => _log.WriteLine(line);
}
