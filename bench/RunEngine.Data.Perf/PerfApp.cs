using RunEngine.Data.Perf.Cli;
using RunEngine.Data.Perf.DeleteRun;
using RunEngine.Data.Perf.Lifecycle;
using RunEngine.Data.Perf.Measurement;
using RunEngine.Data.Perf.Methods;
using RunEngine.Data.Perf.Output;
using RunEngine.Data.Perf.Peers;
using RunEngine.Data.Perf.Streaming;
using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Targets.Postgres;
using RunEngine.Data.Perf.Targets.Sqlite;
using RunEngine.Data.Perf.Targets.SqlServer;

namespace RunEngine.Data.Perf;

/// <summary>Runs the selected databases one after the other; progress goes to stderr, the Markdown report to stdout.</summary>
internal static class PerfApp
{
    public static async Task<int> RunAsync(PerfOptions options, CancellationToken cancellationToken)
    {
        if (options.DeleteRunCheck)
        {
            return await DeleteRunApp.RunAsync(options, cancellationToken);
        }

        if (options.Faults)
        {
            return await Faults.FaultsApp.RunAsync(options, cancellationToken);
        }

        if (options.Lifecycle)
        {
            return await LifecycleApp.RunAsync(options, Targets(options), cancellationToken);
        }

        var environment = EnvironmentInfo.Capture();
        var results = new List<Measurement.Measurement>();
        var notes = new Dictionary<string, string>();
        var streaming = new List<StreamingResult>();
        var failed = false;
        foreach (var create in Targets(options))
        {
            await using var target = create();
            target.ChunkOverride = options.ChunkRows;
            try
            {
                await target.InitializeAsync(cancellationToken);
                environment.Databases[target.Name] = target.Version;
                if (options.StreamingCheck)
                {
                    foreach (var changes in options.StreamingChanges ?? [])
                    {
                        streaming.Add(await StatusChangeStreamingCheck.RunAsync(target, changes, Console.Error, cancellationToken));
                    }

                    foreach (var cards in options.StreamingChanges is null ? options.StreamingCards : [])
                    {
                        streaming.Add(await StreamingCheck.RunAsync(target, cards, Console.Error, cancellationToken));
                    }

                    continue;
                }

                var methods = Methods(target, options);
                await PeerCheck.RunAsync(target, methods.Where(m => m is Linq2DbMethod or EfCoreMethod).ToList(), Console.Error, cancellationToken);
                notes[target.Name] = $"multi-row: {target.MultiRowNote}.";
                results.AddRange(await new BenchRunner(options, Console.Error).RunAsync(target, methods, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed = true;
                await Console.Error.WriteLineAsync($"{target.Name}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        environment.LoadAtEnd = EnvironmentInfo.LoadAverage();
        if (options.StreamingCheck)
        {
            StreamingReport.Write(Console.Out, environment, streaming);
        }
        else
        {
            MarkdownReport.Write(Console.Out, environment, results, notes);
        }

        if (options.JsonPath is { } path)
        {
            await JsonReport.WriteAsync(path, environment, results, options.StreamingCheck ? new { runs = streaming, verdicts = StreamingSummary.Of(streaming) } : null);
        }

        return failed ? 1 : 0;
    }

    private static IEnumerable<Func<BenchTarget>> Targets(PerfOptions options)
    {
        if (options.SqliteEnabled)
        {
            yield return () => new SqliteTarget(options.SqlitePath);
        }

        if (options.Postgres is { } postgres)
        {
            yield return () => new PostgresTarget(postgres);
        }

        if (options.SqlServer is { } sqlServer)
        {
            yield return () => new SqlServerTarget(sqlServer, options.SmallBatchThreshold);
        }
    }

    private static List<IInsertMethod> Methods(BenchTarget target, PerfOptions options)
    {
        IInsertMethod[] common = [new NaiveMethod(oneTransaction: false), new NaiveMethod(oneTransaction: true), new DapperListMethod(), new MultiRowMethod(), new LibraryMethod(), new RawLimitMethod(), new Linq2DbMethod(), new EfCoreMethod()];
        return common.Concat(target.ExtraMethods).Where(m => options.Methods.Contains(m.Name) && m.Supports(target)).ToList();
    }
}
