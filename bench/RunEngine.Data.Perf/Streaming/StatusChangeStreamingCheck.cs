using System.Diagnostics;
using RunEngine.Data.Perf.Measurement;
using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Streaming;

/// <summary>
/// The status-change half of the streaming check: bulk-inserts N cards (untimed, unmeasured), then streams N
/// <see cref="StatusChange{TStatus}"/> of cards from a lazy generator through <see cref="ICardRepository.UpdateStatusesAsync(IEnumerable{StatusChange{CardStatus}}, StatusChangeOptions?, CancellationToken)"/>
/// and samples the live heap exactly as <see cref="StreamingCheck"/> does for inserts. The target: growth at
/// most 32 MB for 1,000,000 changes, not growing with their number.
/// </summary>
internal static class StatusChangeStreamingCheck
{
    public const string Kind = "status-changes";


    public static async Task<StreamingResult> RunAsync(BenchTarget target, int changes, TextWriter log, CancellationToken cancellationToken)
    {
        var workload = new CycleWorkload(changes);
        await target.ResetAsync(cancellationToken);
        await target.Database.WriteCycleAsync(workload.StoryStream(), workload.CardStream(), cancellationToken: cancellationToken);
        StatusChangeResult? changed = null;
        var result = await StreamingCheck.MeasureAsync(
            target,
            workload,
            async sampler => changed = await target.Database.Cards.UpdateStatusesAsync(StreamingCheck.MeasuredAtEnd(Changes(workload.Cards), sampler), cancellationToken: cancellationToken)) with
        {
            Kind = Kind,
        };

        var progress = await target.Database.GetRunProgressAsync(workload.RunId, cancellationToken);
        if (changed!.Changed != changes || progress.Cards[CardStatus.Completed] != changes)
        {
            throw new InvalidOperationException(
                $"Streaming check: expected {changes:N0} cards changed to Completed, the call changed {changed.Changed:N0} and {progress.Cards[CardStatus.Completed]:N0} are stored.");
        }

        await log.WriteLineAsync(
            $"{target.Name} streaming check: {changes:N0} status changes in {result.Seconds:F1} s, live heap growth {result.LiveGrowthBytes / 1048576.0:F1} MB, " +
            $"peak in use (garbage included) {result.PeakInUseBytes / 1048576.0:F1} MB");
        return result;
    }

    /// <summary>Card i (as the workload wrote it, version 1) becomes Completed: generated one by one as they are pulled.</summary>
    private static IEnumerable<StatusChange<CardStatus>> Changes(int cards)
    {
        for (var i = 0; i < cards; i++)
        {
            yield return new StatusChange<CardStatus>(BenchIds.Card(i, 0), 1, CardStatus.Completed);
        }
    }
}
