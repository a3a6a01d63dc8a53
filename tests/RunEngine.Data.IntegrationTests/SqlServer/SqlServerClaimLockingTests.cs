using System.Collections.Concurrent;
using Microsoft.Data.SqlClient;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.SqlServer;

/// <summary>
/// SQL Server's claim statement under its row locks: an uncommitted claim's rows are skipped (READPAST), never waited
/// for; a claim locks only the rows it picks, not the whole run; ready and expired stories come in one position order;
/// eight workers that hold their claims open in sessions finish a run without a deadlock or a story claimed twice.
/// A claim that waited for a lock would fail on the short command timeout instead of hanging the test.
/// </summary>
public sealed class SqlServerClaimLockingTests : IClassFixture<SqlServerFixture>
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly SqlServerFixture _fixture;

    public SqlServerClaimLockingTests(SqlServerFixture fixture)
    {
        _fixture = fixture;
    }

    private RunEngineDatabase Database => _fixture.Database;

    private DateTimeOffset Now => TestData.Stored(_fixture.Time.GetUtcNow());

    [SkippableFact]
    public async Task ClaimAsync_WhileAnotherClaimIsUncommitted_SkipsItsRowsWithoutWaiting()
    {
        _fixture.SkipIfUnavailable();
        var stories = await SeedAsync(Enumerable.Repeat(StoryStatus.Ready, 10).ToArray());
        var other = _fixture.CreateSqlServerDatabase(o => o.CommandTimeout = TimeSpan.FromSeconds(10));

        await using (var session = await Database.BeginSessionAsync())
        {
            var held = await session.Claims.ClaimAsync(stories[0].RunId, "worker-a", 4, Lease);

            var skipped = await other.Claims.ClaimAsync(stories[0].RunId, "worker-b", 100, Lease);

            held.Select(c => c.Story.Position).Should().Equal(0, 1, 2, 3);
            skipped.Select(c => c.Story.Position).Should().Equal(4, 5, 6, 7, 8, 9);
            await session.RollbackAsync();
        }

        // Rolled back: worker-a's stories are Ready again and go to the next claim.
        var again = await other.Claims.ClaimAsync(stories[0].RunId, "worker-c", 100, Lease);
        again.Select(c => c.Story.Position).Should().Equal(0, 1, 2, 3);
    }

    [SkippableFact]
    public async Task ClaimAsync_SmallClaimUncommitted_LeavesTheRestOfALargeRunClaimable()
    {
        _fixture.SkipIfUnavailable();

        // A claim that read and locked every candidate of the run (an OR over two statuses, then a sort) would leave
        // nothing to the second worker; the two ordered picks lock only what they take.
        var stories = await SeedAsync(Enumerable.Repeat(StoryStatus.Ready, 300).ToArray());
        var other = _fixture.CreateSqlServerDatabase(o => o.CommandTimeout = TimeSpan.FromSeconds(10));

        await using var session = await Database.BeginSessionAsync();
        var held = await session.Claims.ClaimAsync(stories[0].RunId, "worker-a", 2, Lease);
        var rest = await other.Claims.ClaimAsync(stories[0].RunId, "worker-b", 1_000, Lease);

        held.Should().HaveCount(2);
        rest.Should().HaveCount(298);
        rest.Select(c => c.StoryId).Should().NotIntersectWith(held.Select(c => c.StoryId));
    }

    [SkippableFact]
    public async Task ClaimAsync_ReadyAndExpiredStories_TakesBothInOnePositionOrder()
    {
        _fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var expired = Now - TimeSpan.FromMinutes(1);
        var live = Now + TimeSpan.FromMinutes(1);
        var stories = new[]
        {
            Leased(runId, 0, expired), TestData.Story(runId, 1, StoryStatus.Ready), Leased(runId, 2, live),
            TestData.Story(runId, 3, StoryStatus.Ready), Leased(runId, 4, expired), TestData.Story(runId, 5, StoryStatus.Completed),
            TestData.Story(runId, 6, StoryStatus.Ready),
        };
        await Database.Stories.AddRangeAsync(stories);

        var first = await Database.Claims.ClaimAsync(runId, "worker-a", 3, Lease);
        var second = await Database.Claims.ClaimAsync(runId, "worker-b", 10, Lease);

        first.Select(c => c.Story.Position).Should().Equal(0, 1, 3);
        second.Select(c => c.Story.Position).Should().Equal(4, 6);
        first[0].Story.Should().BeEquivalentTo(new { ClaimedBy = "worker-a", LeaseExpiresAt = (DateTimeOffset?)(Now + Lease), Version = 3 }, "taken over from version 2");
        first[1].Story.Should().BeEquivalentTo(new { ClaimedBy = "worker-a", Status = StoryStatus.InProgress, Version = 2 });
        (await Database.Stories.GetAsync(stories[2].Id))!.ClaimedBy.Should().Be("crashed", "a live lease is not taken over");
    }

    [SkippableFact]
    public async Task ClaimAsync_EightWorkersHoldingClaimsInSessions_EveryStoryCompletedOnceWithoutDeadlock()
    {
        _fixture.SkipIfUnavailable();
        const int Workers = 8;
        const int Count = 2_000;
        var runId = TestData.NewRunId();

        // One story in ten was left InProgress by a crashed worker whose lease has expired: those must be taken over.
        var stories = Enumerable.Range(0, Count)
            .Select(i => i % 10 == 0 ? Leased(runId, i, Now - TimeSpan.FromSeconds(1)) : TestData.Story(runId, i, StoryStatus.Ready))
            .ToList();
        await Database.Stories.AddRangeAsync(stories);
        var databases = Enumerable.Range(0, Workers).Select(_ => _fixture.CreateSqlServerDatabase(o => o.CommandTimeout = TimeSpan.FromSeconds(30))).ToList();
        var completed = new ConcurrentBag<(Guid Story, string Worker)>();

        // Each worker keeps its claim's locks for the whole batch (claim and completions in one session), so the others
        // keep meeting locked rows: they must skip them, not wait for them and not deadlock.
        await Task.WhenAll(databases.Select((db, w) => Task.Run(async () =>
        {
            var worker = $"worker-{w}";
            while (true)
            {
                await using var session = await db.BeginSessionAsync();
                var claims = await session.Claims.ClaimAsync(runId, worker, 20, Lease);
                if (claims.Count == 0)
                {
                    return;
                }

                foreach (var claim in claims)
                {
                    await session.Claims.CompleteAsync(claim, StoryStatus.Completed);
                    completed.Add((claim.StoryId, worker));
                }

                await session.CommitAsync();
            }
        })));

        // Sorted and compared in order: BeEquivalentTo on thousands of items is quadratic.
        completed.Select(c => c.Story).Should().HaveCount(Count).And.OnlyHaveUniqueItems();
        completed.Select(c => c.Story).Order().Should().Equal(stories.Select(s => s.Id).Order());
        var stored = await Database.Stories.GetByRunAsync(runId).ToListAsync();
        stored.Should().OnlyContain(s => s.Status == StoryStatus.Completed && s.ClaimedBy == null && s.LeaseExpiresAt == null);
        stored.Where((s, i) => i % 10 == 0).Should().OnlyContain(s => s.Version == 4, "seeded at 2, taken over once, completed once");
        stored.Where((s, i) => i % 10 != 0).Should().OnlyContain(s => s.Version == 3, "claimed once, completed once");
        var log = await Database.RunLog.GetByRunAsync(runId).ToListAsync();
        log.Where(e => e.Kind == RunEventKinds.StoryClaimed).Select(e => e.StoryId).Should().HaveCount(Count).And.OnlyHaveUniqueItems();
        log.Where(e => e.Kind == RunEventKinds.StoryCompleted).Select(e => $"{e.StoryId} {e.Worker}").Order(StringComparer.Ordinal)
            .Should().Equal(completed.Select(c => $"{c.Story} {c.Worker}").Order(StringComparer.Ordinal), "each completion is logged by the worker that held the claim");
    }

    [SkippableFact]
    public async Task ClaimAsync_StoryLockedByAStatusUpdate_IsSkippedAndClaimedAfterwards()
    {
        _fixture.SkipIfUnavailable();
        var stories = await SeedAsync(StoryStatus.Ready, StoryStatus.Ready);
        var other = _fixture.CreateSqlServerDatabase(o => o.CommandTimeout = TimeSpan.FromSeconds(10));

        // A host's own transaction holds story 0 (a versioned status update, not committed yet).
        await using (var connection = (SqlConnection)await _fixture.OpenConnectionAsync())
        await using (var transaction = (SqlTransaction)await connection.BeginTransactionAsync())
        {
            var host = Database.Join(connection, transaction);
            await host.Stories.UpdateStatusAsync(stories[0].Id, StoryStatus.Ready, 1);

            var claims = await other.Claims.ClaimAsync(stories[0].RunId, "worker-a", 10, Lease);

            claims.Select(c => c.Story.Position).Should().Equal(1);
            await transaction.CommitAsync();
        }

        var later = await other.Claims.ClaimAsync(stories[0].RunId, "worker-b", 10, Lease);
        later.Should().ContainSingle().Which.Story.Should().BeEquivalentTo(new { Position = 0, Version = 3, ClaimedBy = "worker-b" });
    }

    private static Story Leased(Guid runId, int position, DateTimeOffset expires)
    {
        var story = TestData.Story(runId, position, StoryStatus.InProgress);
        story.ClaimedBy = "crashed";
        story.LeaseExpiresAt = expires;
        story.Version = 2;
        return story;
    }

    private async Task<List<Story>> SeedAsync(params StoryStatus[] statuses)
    {
        var runId = TestData.NewRunId();
        var stories = statuses.Select((status, i) => TestData.Story(runId, i, status)).ToList();
        await Database.Stories.AddRangeAsync(stories);
        return stories;
    }
}
