using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using RunEngine.Data.Perf.Measurement;
using RunEngine.Data.Perf.Targets;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>
/// Runs the lifecycle methods on one database. Per cell: an untimed counting run (fresh tables, the run written with
/// <c>WriteCycleAsync</c>, the counter on, then verified) that doubles as warm-up, one more counted worker on the
/// finished run (its empty claim: what each worker's last claim costs), then the timed runs, each on fresh tables with
/// the run written before the clock starts, W workers timed from their start until the last has nothing to claim, and
/// verified afterwards. Then the K/C grid: set-based at fewer stories with K and C raised, counted and timed once.
/// </summary>
internal sealed class LifecycleRunner
{
    /// <summary>Stories of the K/C grid's cells.</summary>
    public const int GridStories = 200;

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly LifecycleShape _shape;
    private readonly int _repetitions;
    private readonly TextWriter _log;

    public LifecycleRunner(LifecycleShape shape, int repetitions, TextWriter log)
    {
        _shape = shape;
        _repetitions = repetitions;
        _log = log;
    }

    /// <summary>The grid: (stories, cards per story, K), all at the main shape's workers; the main cell is its first entry.</summary>
    public static IEnumerable<LifecycleShape> Grid(LifecycleShape main) =>
    [
        main with { Stories = GridStories },
        main with { Stories = GridStories, Claim = main.Claim * 10 },
        main with { Stories = GridStories, Cards = main.Cards * 10 },
    ];

    public async Task<List<LifecycleCell>> RunAsync(BenchTarget target, IReadOnlyList<ILifecycleMethod> methods, string? gridMethod, CancellationToken cancellationToken)
    {
        var cells = new List<LifecycleCell>();
        foreach (var method in methods.Where(m => m.Supports(target)))
        {
            cells.Add(await MeasureOrFailAsync(target, method, _shape, _repetitions, grid: false, cancellationToken));
        }

        if (gridMethod is not null && methods.FirstOrDefault(m => m.Name == gridMethod && m.Supports(target)) is { } set)
        {
            foreach (var shape in Grid(_shape))
            {
                cells.Add(await MeasureOrFailAsync(target, set, shape, repetitions: 1, grid: true, cancellationToken));
            }
        }

        foreach (var cell in cells.Where(c => !c.Failed))
        {
            var perRow = cells.FirstOrDefault(c => !c.Failed && c.Method == "per-row" && c.Grid == cell.Grid && c.Stories == cell.Stories && c.Cards == cell.Cards && c.Claim == cell.Claim);
            cell.SpeedupVsPerRow = perRow is null ? null : perRow.MedianMs / cell.MedianMs;
            cell.FewerStatementsVsPerRow = perRow?.Statements is { } p && cell.Statements is { } s && s > 0 ? (double)p / s : null;
        }

        return cells;
    }

    private async Task<LifecycleCell> MeasureOrFailAsync(
        BenchTarget target, ILifecycleMethod method, LifecycleShape shape, int repetitions, bool grid, CancellationToken cancellationToken)
    {
        try
        {
            return await MeasureAsync(target, method, shape, repetitions, grid, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log($"{target.Name} {method.Name} {shape}: FAILED: {ex.GetType().Name}: {ex.Message}");
            return Cell(target, method, shape, grid) with { Failed = true, Note = $"FAILED: {ex.GetType().Name}: {ex.Message}" };
        }
    }

    /// <summary>Untimed runs before the timed ones: 2 for a cell of 3 or more timed runs, else 1.</summary>
    private static int WarmupRuns(int repetitions) => repetitions >= 3 ? 2 : 1;

    /// <summary>At most this many warm-up runs, settled or not (the grid's one-run cells stop at two).</summary>
    private static int MaxWarmupRuns(int repetitions) => repetitions >= 3 ? 12 : 2;

    /// <summary>A warm-up run that compiles at most this many methods ends the warm-up: the JIT has settled.</summary>
    private const int SettledJitMethods = 25;

    private async Task<LifecycleCell> MeasureAsync(
        BenchTarget target, ILifecycleMethod method, LifecycleShape shape, int repetitions, bool grid, CancellationToken cancellationToken)
    {
        var workload = new LifecycleWorkload(shape.Stories, shape.Cards);

        // Counting run (untimed; also the warm-up).
        await PrepareAsync(target, workload, cancellationToken);
        await target.PrepareCountingAsync(cancellationToken);
        target.Counter.Start();
        await WarmPoolAsync(target, shape.Workers, cancellationToken);
        target.Counter.Stop();
        target.Counter.Start();
        long statements;
        long idle;
        LifecycleContext counted;
        try
        {
            counted = await RunWorkersAsync(target, method, workload, shape, cancellationToken);
            statements = target.Counter.Stop();
            target.Counter.Start();
            var context = new LifecycleContext(target, workload.RunId, shape.Claim, Lease);
            var extra = await method.RunWorkerAsync(context, "idle-worker", cancellationToken);
            if (extra != 0 || context.Tally.Batches != 0)
            {
                throw new InvalidOperationException($"a worker on the finished run completed {extra} stories.");
            }
        }
        finally
        {
            idle = target.Counter.Stop();
        }

        await LifecycleVerifier.VerifyAsync(target, method.Name, workload, cancellationToken);
        var batches = counted.Tally.Batches;
        string? note = null;
        if (batches == 0)
        {
            batches = (shape.Stories + shape.Claim - 1) / shape.Claim;
            note = "batches not reported by the method: ⌈S ÷ K⌉ assumed";
        }

        // Warm-up runs (untimed, on the timed runs' own connections) until the JIT has settled: the counting run alone
        // left the first timed runs of a cell 1.5-2x slower than the last ones, and two fixed warm-ups still left the
        // timed runs drifting down by 20-30 % within a cell (tiered compilation promoting the method's code paths to
        // tier 1 in the background, competing for the same two cores), which moved the medians and the ratios between
        // methods. So, as BenchmarkDotNet warms up until its measurements are stable, the runner warms up until a run
        // compiles at most SettledJitMethods methods (JitInfo: methods compiled or recompiled in this process), at least
        // WarmupRuns(repetitions) times and at most MaxWarmupRuns times; each method gets its own warm-up.
        await WarmPoolAsync(target, shape.Workers, cancellationToken);
        var warmups = 0;
        long lastWarmupJit;
        do
        {
            var jitBefore = JitInfo.GetCompiledMethodCount();
            await PrepareAsync(target, workload, cancellationToken);
            await RunWorkersAsync(target, method, workload, shape, cancellationToken);
            await LifecycleVerifier.VerifyAsync(target, method.Name, workload, cancellationToken);
            lastWarmupJit = JitInfo.GetCompiledMethodCount() - jitBefore;
            warmups++;
        }
        while (warmups < MaxWarmupRuns(repetitions) && (warmups < WarmupRuns(repetitions) || lastWarmupJit > SettledJitMethods));

        var times = new List<double>();
        var cpu = new List<double>();
        var jit = new List<long>();
        for (var r = 0; r < repetitions; r++)
        {
            await PrepareAsync(target, workload, cancellationToken);
            Stats.FlushOperatingSystemCaches();
            Stats.Settle();
            var jitBefore = JitInfo.GetCompiledMethodCount();
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var started = Stopwatch.GetTimestamp();
            await RunWorkersAsync(target, method, workload, shape, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            cpu.Add((Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds);
            times.Add(elapsed.TotalMilliseconds);
            jit.Add(JitInfo.GetCompiledMethodCount() - jitBefore);
            await LifecycleVerifier.VerifyAsync(target, method.Name, workload, cancellationToken);
        }

        var cell = Cell(target, method, shape, grid) with
        {
            Repetitions = repetitions,
            WarmupRuns = warmups,
            JitPerRun = jit,
            MedianMs = Stats.Median(times),
            MinMs = times.Min(),
            MaxMs = times.Max(),
            CpuMs = Stats.Median(cpu),
            Statements = statements,
            Batches = batches,
            IdleStatements = idle,
            StatementSource = target.Counter.Source,
            Note = note,
        };
        Log(string.Create(
            CultureInfo.InvariantCulture,
            $"{target.Name} {method.Name,-9} {shape}: {cell.MedianMs,9:N1} ms {cell.CpuMs,8:N1} cpu-ms {statements,7} stmts ({cell.StatementsPerStory:N2}/story, {cell.StatementsPerBatch:N1}/batch of {batches} batches, idle claim {idle})  [{string.Join(" ", times.Select(t => t.ToString("N1", CultureInfo.InvariantCulture)))}]  warm-up {warmups} (last {lastWarmupJit} JIT), JIT per run [{string.Join(" ", jit)}]"));
        return cell;
    }

    private static LifecycleCell Cell(BenchTarget target, ILifecycleMethod method, LifecycleShape shape, bool grid) => new()
    {
        Database = target.Name,
        Method = method.Name,
        Stories = shape.Stories,
        Cards = shape.Cards,
        Workers = shape.Workers,
        Claim = shape.Claim,
        Grid = grid,
    };

    /// <summary>Fresh tables, the run written by the library (untimed), then the database brought to a quiet point.</summary>
    private static async Task PrepareAsync(BenchTarget target, LifecycleWorkload workload, CancellationToken cancellationToken)
    {
        await target.ResetAsync(cancellationToken);
        var written = await target.Database.WriteCycleAsync(workload.StoryStream(), workload.CardStream(), cancellationToken: cancellationToken);
        if (written.Stories != workload.Stories || written.Cards != workload.Cards)
        {
            throw new InvalidOperationException($"writing the run: {written.Stories} stories and {written.Cards} cards written, expected {workload.Stories} and {workload.Cards}.");
        }

        await target.SettleAsync(cancellationToken);
    }

    private static async Task<LifecycleContext> RunWorkersAsync(
        BenchTarget target, ILifecycleMethod method, LifecycleWorkload workload, LifecycleShape shape, CancellationToken cancellationToken)
    {
        var context = new LifecycleContext(target, workload.RunId, shape.Claim, Lease);
        var workers = Enumerable.Range(1, shape.Workers)
            .Select(w => Task.Run(() => method.RunWorkerAsync(context, $"worker-{w}", cancellationToken), cancellationToken))
            .ToArray();
        var completed = (await Task.WhenAll(workers)).Sum();
        if (completed != workload.Stories)
        {
            throw new InvalidOperationException($"the workers completed {completed} stories, expected {workload.Stories}.");
        }

        return context;
    }

    /// <summary>
    /// Opens as many pooled connections at once as the workers will (twice over), so no timed or counted run pays for
    /// opening a physical connection (on PostgreSQL a fresh one also skips the pool-reset statement a reused one gets).
    /// </summary>
    private static async Task WarmPoolAsync(BenchTarget target, int workers, CancellationToken cancellationToken)
    {
        var db = target.Database;
        await Task.WhenAll(Enumerable.Range(0, workers * 2).Select(_ => db.Stories.GetAsync(Guid.Empty, cancellationToken)));
        var connections = await Task.WhenAll(Enumerable.Range(0, workers * 2).Select(_ => target.OpenAsync(cancellationToken)));
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
    }

    private void Log(string line) => _log.WriteLine(line);
}
