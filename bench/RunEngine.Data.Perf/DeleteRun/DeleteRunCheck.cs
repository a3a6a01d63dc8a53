using System.Diagnostics;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.DeleteRun;

/// <summary>
/// Times <c>DeleteRunAsync</c> of one run of N cards (10 per story) right after its bulk insert, with no ANALYZE in
/// between, for each schema variant: version 2, version 3, and version 3 with version 2's cards (run_id) index kept.
/// Deleting the run's stories makes the database check, per story, that no card references it: the plan of that check
/// decides the time.
/// </summary>
internal static class DeleteRunCheck
{
    public static async Task<List<DeleteRunResult>> RunAsync(DeleteRunTarget target, int cards, TextWriter log, CancellationToken cancellationToken)
    {
        var results = new List<DeleteRunResult>();
        foreach (var variant in Enum.GetValues<SchemaVariant>().Where(target.Supports))
        {
            var workload = new CycleWorkload(cards);
            var db = await target.CreateAsync(variant, cancellationToken);
            var started = Stopwatch.GetTimestamp();
            await db.WriteCycleAsync(workload.StoryStream(), workload.CardStream(), cancellationToken: cancellationToken);
            var insert = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var plan = await target.ExplainForeignKeyCheckAsync(variant, workload.RunId, BenchIds.Story(0, 0), cancellationToken);

            started = Stopwatch.GetTimestamp();
            var deleted = await db.Stories.DeleteRunAsync(workload.RunId, cancellationToken);
            var delete = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (deleted.Cards != workload.Cards || deleted.Stories != workload.Stories)
            {
                throw new InvalidOperationException($"Delete-run check: deleted {deleted.Stories} stories and {deleted.Cards} cards, expected {workload.Stories} and {workload.Cards}.");
            }

            await log.WriteLineAsync($"{target.Name} {variant}: {cards:N0} cards inserted in {insert:F1} s, run deleted in {delete:N0} ms; FK check: {plan}");
            results.Add(new DeleteRunResult(target.Name, variant, workload.Stories, workload.Cards, insert, delete, plan));
        }

        return results;
    }
}
