using System.Diagnostics;
using System.Globalization;

namespace RunEngine.Data.Demo;

/// <summary>The demo's steps: ensure the schema, write the cycles, read them back, then change a few statuses.</summary>
internal static class DemoRun
{
    public static async Task RunAsync(RunEngineDatabase db, DemoSettings settings, CancellationToken cancellationToken)
    {
        var schemaVersion = await db.EnsureSchemaAsync(cancellationToken);
        Console.WriteLine($"Schema ensured (version {schemaVersion}).");

        var generator = new RunGenerator(db.NewId(), db.NewId);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Run {generator.RunId}: {Counted.Cycles(settings.Cycles)} of {Counted.Stories(settings.StoriesPerCycle)} with 5-12 cards each; one transaction per cycle."));
        Console.WriteLine();

        var live = !Console.IsOutputRedirected;
        var cycles = new List<CycleTiming>();
        var total = Stopwatch.StartNew();
        for (var number = 1; number <= settings.Cycles; number++)
        {
            var plan = generator.NextCycle(number, settings.StoriesPerCycle);
            var progress = new CycleProgress(plan, settings.Cycles, live);

            // About 40 progress reports per cycle, whatever its size.
            var options = new BulkInsertOptions { Progress = progress, ProgressInterval = Math.Max(1, plan.RowCount / 40) };
            var watch = Stopwatch.StartNew();
            CycleWriteResult result;
            try
            {
                result = await db.WriteCycleAsync(plan.Stories, plan.Cards, options, cancellationToken);
            }
            catch
            {
                progress.Abandon();
                throw;
            }

            var timing = new CycleTiming(number, result, watch.Elapsed);
            progress.Complete(timing);
            cycles.Add(timing);
        }

        total.Stop();
        Console.WriteLine();

        var summary = await RunSummary.ReadAsync(db, generator.RunId, cancellationToken);
        summary.Print(cycles, total.Elapsed);
        Console.WriteLine();

        await StatusTour.RunAsync(db, summary, cancellationToken);
        Console.WriteLine();

        var after = await RunSummary.ReadAsync(db, generator.RunId, cancellationToken);
        after.PrintStatuses("Statuses now");
    }
}
