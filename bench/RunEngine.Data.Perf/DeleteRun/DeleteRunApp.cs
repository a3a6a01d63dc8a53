using RunEngine.Data.Perf.Cli;
using RunEngine.Data.Perf.Output;

namespace RunEngine.Data.Perf.DeleteRun;

/// <summary>The runner's <c>--delete-run-check</c>: each database in turn, then one table on stdout.</summary>
internal static class DeleteRunApp
{
    public static async Task<int> RunAsync(PerfOptions options, CancellationToken cancellationToken)
    {
        var environment = EnvironmentInfo.Capture();
        var results = new List<DeleteRunResult>();
        var failed = false;
        var targets = new List<Func<DeleteRunTarget>>();
        if (options.SqliteEnabled)
        {
            targets.Add(() => new SqliteDeleteRunTarget());
        }

        if (options.Postgres is { } postgres)
        {
            targets.Add(() => new PostgresDeleteRunTarget(postgres));
        }

        foreach (var create in targets)
        {
            await using var target = create();
            try
            {
                results.AddRange(await DeleteRunCheck.RunAsync(target, options.DeleteRunCards, Console.Error, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed = true;
                await Console.Error.WriteLineAsync($"{target.Name}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        environment.LoadAtEnd = EnvironmentInfo.LoadAverage();
        DeleteRunReport.Write(Console.Out, environment, results);
        return failed ? 1 : 0;
    }
}
