using System.Text.Json;
using RunEngine.Data.Perf.Cli;
using RunEngine.Data.Perf.Output;
using RunEngine.Data.Perf.Targets;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary><c>--workload lifecycle</c>: the selected methods on each database, the Markdown report to stdout, optionally JSON.</summary>
internal static class LifecycleApp
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static async Task<int> RunAsync(PerfOptions options, IEnumerable<Func<BenchTarget>> targets, CancellationToken cancellationToken)
    {
        var environment = EnvironmentInfo.Capture();
        var results = new List<LifecycleCell>();
        var failed = false;
        var methods = LifecycleMethods.Create().Where(m => options.Methods.Contains(m.Name)).ToList();
        var shape = new LifecycleShape(options.Stories, options.CardsPerStory, options.Workers, options.Claim);
        var gridMethod = options.Methods.Contains("set-based") ? "set-based" : null;
        foreach (var create in targets)
        {
            await using var target = create();
            try
            {
                await target.InitializeAsync(cancellationToken);
                environment.Databases[target.Name] = target.Version;
                var runner = new LifecycleRunner(shape, options.LifecycleRepetitions, Console.Error);
                var cells = await runner.RunAsync(target, methods, gridMethod, cancellationToken);
                failed |= cells.Any(c => c.Failed);
                results.AddRange(cells);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed = true;
                await Console.Error.WriteLineAsync($"{target.Name}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        environment.LoadAtEnd = EnvironmentInfo.LoadAverage();
        LifecycleReport.Write(Console.Out, environment, results);
        if (options.JsonPath is { } path)
        {
            var verdicts = results.GroupBy(r => r.Database).ToDictionary(g => g.Key, g => LifecycleTargetCheck.Lines(g.ToList()).ToList());
            await using var file = File.Create(path);
            await JsonSerializer.SerializeAsync(file, new { environment, results, verdicts }, JsonOptions, cancellationToken);
        }

        if (failed)
        {
            await Console.Error.WriteLineAsync("lifecycle: at least one cell FAILED (see above); the exit code is 1.");
        }

        return failed ? 1 : 0;
    }
}
