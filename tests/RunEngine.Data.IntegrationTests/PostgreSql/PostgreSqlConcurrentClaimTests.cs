using System.Collections.Concurrent;
using Dapper;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// Work claiming on PostgreSQL under real concurrency: many workers on separate connections, rows locked by an open
/// claim, leases that expire on the fixture's clock (every database object here shares it).
/// </summary>
public sealed class PostgreSqlConcurrentClaimTests : IClassFixture<PostgreSqlFixture>
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly PostgreSqlFixture _fixture;

    public PostgreSqlConcurrentClaimTests(PostgreSqlFixture fixture)
    {
        _fixture = fixture;
    }

    private RunEngineDatabase Database => _fixture.Database;

    [SkippableFact]
    public async Task ClaimAsync_EightWorkersUntilNoneIsLeft_ClaimAndCompleteEveryStoryExactlyOnce()
    {
        _fixture.SkipIfUnavailable();
        const int StoryCount = 2_000, Workers = 8, PerClaim = 10;
        var runId = Guid.CreateVersion7();
        await Database.Stories.AddRangeAsync(ReadyStories(runId, StoryCount));
        var completedBy = new ConcurrentDictionary<Guid, string>();
        var duplicates = new ConcurrentBag<Guid>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            // Its own database object (same clock, same server): the workers share nothing but the tables.
            var database = _fixture.CreateDatabase();
            var worker = $"worker-{w}";
            await start.Task;
            while (true)
            {
                var claims = await database.Claims.ClaimAsync(runId, worker, PerClaim, Lease);
                if (claims.Count == 0)
                {
                    return;
                }

                foreach (var claim in claims)
                {
                    if (!completedBy.TryAdd(claim.StoryId, worker))
                    {
                        duplicates.Add(claim.StoryId);
                    }

                    await database.Claims.CompleteAsync(claim, StoryStatus.Completed);
                }
            }
        })).ToArray();
        start.SetResult();

        // A deadlock would surface as PostgreSQL's deadlock error (40P01) from a worker; a hang as a timeout here.
        await Task.WhenAll(workers).WaitAsync(WaitLimit);

        duplicates.Should().BeEmpty("no story may be claimed by two workers");
        completedBy.Should().HaveCount(StoryCount);
        var stories = await Database.Stories.GetByRunAsync(runId).ToListAsync();
        stories.Should().HaveCount(StoryCount).And.OnlyContain(s =>
            s.Status == StoryStatus.Completed && s.Version == 3 && s.ClaimedBy == null && s.LeaseExpiresAt == null);
        var log = await Database.RunLog.GetByRunAsync(runId).ToListAsync();
        var completions = log.Where(e => e.Kind == RunEventKinds.StoryCompleted).ToList();
        completions.Should().HaveCount(StoryCount);
        completions.Select(e => e.StoryId!.Value).Order().Should().Equal(stories.Select(s => s.Id).Order(), "one completion per story, none twice");
        completions.Should().OnlyContain(e => e.Worker == completedBy[e.StoryId!.Value], "each completion is logged with the worker that completed it");
        log.Count(e => e.Kind == RunEventKinds.StoryClaimed).Should().Be(StoryCount);
    }

    [SkippableFact]
    public async Task ClaimAsync_StoriesLockedByAnUncommittedClaim_SkipsThemWithoutWaiting()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        await Database.Stories.AddRangeAsync(ReadyStories(runId, 30));
        await using var session = await Database.BeginSessionAsync();
        var held = await session.Claims.ClaimAsync(runId, "holder", 10, Lease);

        // The holder's transaction is still open, so its rows stay locked: a blocking claim would wait here forever.
        var other = await _fixture.CreateDatabase().Claims.ClaimAsync(runId, "other", 10, Lease).WaitAsync(WaitLimit);
        await session.CommitAsync();

        held.Select(c => c.Story.Position).Should().Equal(Enumerable.Range(0, 10));
        other.Select(c => c.Story.Position).Should().Equal(Enumerable.Range(10, 10), "the locked rows are skipped and the next ready ones taken");
        var stories = await Database.Stories.GetByRunAsync(runId).ToListAsync();
        stories.Where(s => s.Position < 10).Should().OnlyContain(s => s.ClaimedBy == "holder" && s.Status == StoryStatus.InProgress);
        stories.Where(s => s.Position is >= 10 and < 20).Should().OnlyContain(s => s.ClaimedBy == "other" && s.Status == StoryStatus.InProgress);
        stories.Where(s => s.Position >= 20).Should().OnlyContain(s => s.ClaimedBy == null && s.Status == StoryStatus.Ready);
    }

    [SkippableFact]
    public async Task CompleteAsync_LeaseExpiredAndStoryReclaimedByAnotherWorker_ThrowsLeaseLostAndKeepsTheNewClaim()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        await Database.Stories.AddRangeAsync(ReadyStories(runId, 1));
        var first = _fixture.CreateDatabase();
        var second = _fixture.CreateDatabase();
        var lost = (await first.Claims.ClaimAsync(runId, "first", 1, TimeSpan.FromMinutes(1))).Single();

        var beforeExpiry = await second.Claims.ClaimAsync(runId, "second", 1, Lease);
        _fixture.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var taken = (await second.Claims.ClaimAsync(runId, "second", 1, Lease)).Single();
        var act = () => first.Claims.CompleteAsync(lost, StoryStatus.Completed);

        beforeExpiry.Should().BeEmpty("a lease that has not expired keeps the story");
        taken.StoryId.Should().Be(lost.StoryId);
        taken.Version.Should().Be(lost.Version + 1);
        var error = (await act.Should().ThrowAsync<LeaseLostException>()).Which;
        error.StoryId.Should().Be(lost.StoryId);
        error.WorkerId.Should().Be("first");
        error.Reason.Should().Contain("another worker");
        (await second.Claims.CompleteAsync(taken, StoryStatus.Completed)).Should().Be(taken.Version + 1);
        var story = await Database.Stories.GetAsync(lost.StoryId);
        story!.Status.Should().Be(StoryStatus.Completed);
        var completions = (await Database.RunLog.GetByRunAsync(runId).ToListAsync()).Where(e => e.Kind == RunEventKinds.StoryCompleted);
        completions.Should().ContainSingle().Which.Worker.Should().Be("second", "the failed completion logged nothing");
    }

    [SkippableFact]
    public async Task ClaimAsync_AtTheInstantTheLeaseEnds_NobodyMayUseTheStory()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        await Database.Stories.AddRangeAsync(ReadyStories(runId, 1));
        var claim = (await Database.Claims.ClaimAsync(runId, "first", 1, TimeSpan.FromMinutes(1))).Single();

        _fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var reclaimed = await _fixture.CreateDatabase().Claims.ClaimAsync(runId, "second", 1, Lease);
        var renew = () => Database.Claims.RenewAsync(claim, Lease);

        // The lease covers [claim, expiry): at the expiry instant it is no longer held, and not yet expired "before now".
        reclaimed.Should().BeEmpty();
        (await renew.Should().ThrowAsync<LeaseLostException>()).Which.Reason.Should().Contain("expired");
        await using var connection = await _fixture.OpenConnectionAsync();
        var expires = await connection.ExecuteScalarAsync<DateTime>(
            "SELECT lease_expires_at FROM re_stories WHERE id = @Id", new { Id = claim.StoryId });
        expires.Should().Be(claim.LeaseExpiresAt.UtcDateTime, "the stored lease end is the claim's, to the microsecond");
    }

    private static List<Story> ReadyStories(Guid runId, int count)
    {
        var stories = PgRows.Stories(runId, count);
        stories.ForEach(s => s.Status = StoryStatus.Ready);
        return stories;
    }
}
