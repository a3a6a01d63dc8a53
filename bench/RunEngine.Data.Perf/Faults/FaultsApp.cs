using System.Globalization;
using RunEngine.Data.Perf.Cli;
using RunEngine.Data.Perf.Output;
using RunEngine.Data.Testing;

namespace RunEngine.Data.Perf.Faults;

/// <summary>
/// The runner's <c>--workload faults</c>: the fault matrix's operations (tests/Shared/FaultScenario.cs) with retry on,
/// through the fault proxy, <c>--rounds</c> times, each round with fresh random cut points (the k-th CopyData or the
/// N-th bulk-load byte, and a cut after N client bytes anywhere in the operation, both drawn from a dry run's counts),
/// plus the fixed points (at open, before the first byte, after COMMIT, a stall beyond the command timeout, a killed
/// idle pooled connection). Prints, per database and operation, faults injected, operations survived, rows and changes
/// lost and doubled.
/// </summary>
internal static class FaultsApp
{
    /// <summary>The command timeout of the stall cells' databases; the stall holds the COMMIT longer, then cuts.</summary>
    public static readonly TimeSpan StallCommandTimeout = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Stall = TimeSpan.FromMilliseconds(1_500);

    public static async Task<int> RunAsync(PerfOptions options, CancellationToken cancellationToken)
    {
        var environment = EnvironmentInfo.Capture();
        var seed = options.Seed ?? Random.Shared.Next();
        var random = new Random(seed);
        var targets = new List<Func<FaultTarget>>();
        if (options.Postgres is { } postgres)
        {
            targets.Add(() => new PostgresFaultTarget(postgres));
        }

        if (options.SqlServer is { } sqlServer)
        {
            targets.Add(() => new SqlServerFaultTarget(sqlServer));
        }

        if (targets.Count == 0)
        {
            await Console.Error.WriteLineAsync("--workload faults needs a server: --postgres CS (or RUNENGINE_TEST_POSTGRES; bench/perf-with-postgres.sh starts one) and/or --sqlserver CS.");
            return 2;
        }

        var results = new List<FaultCellResult>();
        var failed = false;
        foreach (var create in targets)
        {
            await using var target = create();
            try
            {
                await target.InitializeAsync(cancellationToken);
                environment.Databases[target.Name] = target.Version;
                results.AddRange(await RunTargetAsync(target, options.Rounds, random, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed = true;
                await Console.Error.WriteLineAsync($"{target.Name}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        environment.LoadAtEnd = EnvironmentInfo.LoadAverage();
        FaultsReport.Write(Console.Out, environment, seed, options.Rounds, results);
        if (options.JsonPath is { } json)
        {
            await FaultsReport.WriteJsonAsync(json, environment, seed, options.Rounds, results, cancellationToken);
        }

        return failed || results.Any(r => !r.Survived) ? 1 : 0;
    }

    private static async Task<List<FaultCellResult>> RunTargetAsync(FaultTarget target, int rounds, Random random, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<FaultOperation, ProxyCounts>();
        foreach (var operation in Enum.GetValues<FaultOperation>())
        {
            counts[operation] = await DryRunAsync(target, operation);
        }

        var results = new List<FaultCellResult>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var operation in Enum.GetValues<FaultOperation>())
            {
                var write = target.AutocommitWrite(operation);
                var bulk = target.BulkUnits(counts[operation]);
                var cells = new List<(string Point, WireFault? Fault, bool Stall)>
                {
                    ("at open", WireFault.CutAtConnect(), false),
                    ("before the first byte", WireFault.CutAtNextMessage(), false),
                    (write is null ? "after COMMIT" : "after the autocommit write", write is null ? WireFault.CutAfterCommit() : WireFault.CutAfterStatement(write), false),
                    ("stall beyond the command timeout", write is null ? WireFault.StallCommit(Stall, thenCut: true) : WireFault.StallStatement(write, Stall, thenCut: true), true),
                    ("killed idle pooled connection", null, false),
                };
                if (bulk > 0)
                {
                    var at = random.NextInt64(1, bulk + 1);
                    cells.Add((target.Protocol == WireProtocol.PostgreSql ? $"mid-COPY (CopyData {at} of {bulk})" : $"mid-bulk-load (byte {at} of {bulk})", target.MidBulk(at), false));
                }

                var bytes = random.NextInt64(1, counts[operation].ClientBytes + 1);
                cells.Add(($"after client byte {bytes} of {counts[operation].ClientBytes}", WireFault.CutAfterClientBytes(bytes), false));
                foreach (var (point, fault, stall) in cells)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var result = await RunCellAsync(target, operation, point, fault, stall);
                    results.Add(result);
                    await Console.Error.WriteLineAsync(
                        $"{target.Name} round {round} {operation} {point}: {(result.Survived ? "survived" : "FAILED " + result.Failure)}");
                }
            }
        }

        return results;
    }

    /// <summary>The operation once without a fault, counting what its client sends (the range of the random cut points).</summary>
    private static async Task<ProxyCounts> DryRunAsync(FaultTarget target, FaultOperation operation)
    {
        var scenario = new FaultScenario(target.Direct, target.OpenDirectAsync, operation);
        await scenario.SeedAsync();
        var (host, port) = target.Upstream;
        using var proxy = new CountingProxy(target.Protocol, host, port);
        await using var database = target.Create(proxy.Port, retry: true, shortTimeouts: false);
        await database.Stories.GetByRunAsync(Guid.CreateVersion7()).ToListAsync();
        proxy.Restart();
        var differs = await scenario.RunAsync(database);
        if (differs is not null)
        {
            throw new InvalidOperationException($"{operation} without a fault: {differs}");
        }

        return proxy.Counts;
    }

    private static async Task<FaultCellResult> RunCellAsync(FaultTarget target, FaultOperation operation, string point, WireFault? fault, bool stall)
    {
        var scenario = new FaultScenario(target.Direct, target.OpenDirectAsync, operation);
        await scenario.SeedAsync();
        var (host, port) = target.Upstream;
        using var proxy = new FaultProxy(target.Protocol, host, port);
        string? failure = null;
        await using (var database = target.Create(proxy.Port, retry: true, shortTimeouts: stall))
        {
            if (fault?.Point != FaultPoint.Connect)
            {
                await database.Stories.GetByRunAsync(Guid.CreateVersion7()).ToListAsync();
            }

            if (fault is null)
            {
                proxy.CutAll();
            }
            else
            {
                proxy.Arm(fault);
            }

            try
            {
                failure = await scenario.RunAsync(database);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failure = $"{ex.GetType().Name}: {ex.Message}";
                // The whole exception (types, stack, inner exceptions; the library's messages carry no connection string) for a diagnosis.
                await Console.Error.WriteLineAsync($"{target.Name} {operation} {point}: {ex}");
            }

            await proxy.SettledAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        var tally = await scenario.ReadAsync();
        var returned = failure is null;
        if (returned && !tally.IsAll)
        {
            failure = tally.State;
        }

        // Lost and doubled count what a call that reported success did not store, or stored twice; a call that failed
        // must have stored all or nothing (else it is half-written).
        var countsRows = operation is FaultOperation.CycleFail or FaultOperation.CycleSkip;
        var halfWritten = !returned && !tally.IsAll && !tally.IsNone;
        return new FaultCellResult(
            target.Name, operation.ToString(), point, proxy.Fired.Count, failure is null,
            returned ? tally.Lost : 0, returned ? tally.Doubled : 0, halfWritten, countsRows, failure);
    }
}
