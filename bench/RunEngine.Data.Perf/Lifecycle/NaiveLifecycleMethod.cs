using System.Data.Common;
using Dapper;
using RunEngine.Data.Perf.Targets;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>
/// What hosts do today: hand-written Dapper, one auto-committed statement per change, on one connection per worker.
/// A claim is one <c>UPDATE … WHERE id IN (SELECT … LIMIT K FOR UPDATE SKIP LOCKED)</c> (the database's form:
/// <see cref="BenchTarget.NaiveClaimSql"/>); then, per story, one SELECT of its cards' ids and versions, one versioned
/// UPDATE per card to InProgress, one per card to Completed, and one UPDATE that completes the story (checking worker
/// and version). It writes no run log: the library writes an entry per change, so naive does less work than the others.
/// </summary>
internal sealed class NaiveLifecycleMethod : ILifecycleMethod
{
    public string Name => "naive";

    public bool Supports(BenchTarget target) => true;

    public async Task<int> RunWorkerAsync(LifecycleContext context, string workerId, CancellationToken cancellationToken)
    {
        var target = context.Target;
        var stories = target.StoriesTable;
        var cardsTable = target.CardsTable;
        // run_id too: the cards' index is (run_id, story_id, position), as a host that knows its schema writes it.
        var selectCards = $"SELECT id, version FROM {cardsTable} WHERE run_id = @RunId AND story_id = @StoryId ORDER BY position";
        var updateCard = $"UPDATE {cardsTable} SET status = @Status, version = version + 1, updated_at = @Now WHERE id = @Id AND version = @Version";
        var completeStory = $"UPDATE {stories} SET status = @Completed, claimed_by = NULL, lease_expires_at = NULL, updated_at = @Now, version = version + 1 " +
            "WHERE id = @Id AND version = @Version AND claimed_by = @Worker";
        await using var connection = await target.OpenAsync(cancellationToken);
        var completed = 0;
        while (true)
        {
            var now = Now();
            var claimed = await ReadPairsAsync(connection, new CommandDefinition(target.NaiveClaimSql, new
            {
                RunId = context.RunId,
                Worker = workerId,
                Max = context.StoriesPerClaim,
                Now = now,
                Expires = now + context.Lease,
                Ready = (short)StoryStatus.Ready,
                InProgress = (short)StoryStatus.InProgress,
            }, cancellationToken: cancellationToken));
            if (claimed.Count == 0)
            {
                return completed;
            }

            context.Tally.Batch();
            foreach (var (storyId, storyVersion) in claimed)
            {
                var cards = await ReadPairsAsync(connection, new CommandDefinition(selectCards, new { context.RunId, StoryId = storyId }, cancellationToken: cancellationToken));
                foreach (var status in new[] { CardStatus.InProgress, CardStatus.Completed })
                {
                    for (var i = 0; i < cards.Count; i++)
                    {
                        var (cardId, version) = cards[i];
                        var changed = await connection.ExecuteAsync(new CommandDefinition(updateCard, new { Status = (short)status, Now = Now(), Id = cardId, Version = version }, cancellationToken: cancellationToken));
                        Expect(changed, "card", cardId);
                        cards[i] = (cardId, version + 1);
                    }
                }

                var done = await connection.ExecuteAsync(new CommandDefinition(completeStory, new
                {
                    Completed = (short)StoryStatus.Completed,
                    Now = Now(),
                    Id = storyId,
                    Version = storyVersion,
                    Worker = workerId,
                }, cancellationToken: cancellationToken));
                Expect(done, "story", storyId);
                completed++;
            }
        }
    }

    // Whole microseconds in UTC, as the library stores them.
    private static DateTimeOffset Now()
    {
        var now = TimeProvider.System.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
    }

    private static async Task<List<(Guid Id, int Version)>> ReadPairsAsync(DbConnection connection, CommandDefinition command)
    {
        var pairs = new List<(Guid, int)>();
        await using var reader = await connection.ExecuteReaderAsync(command);
        while (await reader.ReadAsync(command.CancellationToken))
        {
            pairs.Add((reader.GetGuid(0), reader.GetInt32(1)));
        }

        return pairs;
    }

    private static void Expect(int changed, string entity, Guid id)
    {
        if (changed != 1)
        {
            throw new InvalidOperationException($"naive: the {entity} {id} was not changed (its version or claim moved): {changed} rows.");
        }
    }
}
