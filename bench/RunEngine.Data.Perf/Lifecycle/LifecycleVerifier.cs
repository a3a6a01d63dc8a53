using Dapper;
using RunEngine.Data.Perf.Targets;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>
/// Checks a processed run (untimed): every story Completed with no claim left and every card Completed, all at
/// <see cref="LifecycleWorkload.FinalVersion"/>; anything else fails the cell with the counts found.
/// </summary>
internal static class LifecycleVerifier
{
    public static async Task VerifyAsync(BenchTarget target, string method, LifecycleWorkload workload, CancellationToken cancellationToken)
    {
        var parameters = new
        {
            workload.RunId,
            Story = (short)StoryStatus.Completed,
            Card = (short)CardStatus.Completed,
            Version = LifecycleWorkload.FinalVersion,
        };
        await using var connection = await target.OpenAsync(cancellationToken);
        var stories = await connection.QuerySingleAsync<(long All, long Done)>(new CommandDefinition(
            "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN status = @Story AND version = @Version AND claimed_by IS NULL AND lease_expires_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) " +
            $"FROM {target.StoriesTable} WHERE run_id = @RunId",
            parameters,
            cancellationToken: cancellationToken));
        var cards = await connection.QuerySingleAsync<(long All, long Done)>(new CommandDefinition(
            "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN status = @Card AND version = @Version THEN 1 ELSE 0 END), 0) AS BIGINT) " +
            $"FROM {target.CardsTable} WHERE run_id = @RunId",
            parameters,
            cancellationToken: cancellationToken));
        if (stories.All != workload.Stories || stories.Done != workload.Stories || cards.All != workload.Cards || cards.Done != workload.Cards)
        {
            throw new InvalidOperationException(
                $"{target.Name} {method}: expected {workload.Stories} stories and {workload.Cards} cards, all Completed at version {LifecycleWorkload.FinalVersion} " +
                $"(stories unclaimed); found {stories.Done} of {stories.All} stories and {cards.Done} of {cards.All} cards.");
        }
    }
}
