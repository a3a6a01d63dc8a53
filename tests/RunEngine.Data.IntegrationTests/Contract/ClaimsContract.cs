using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Work claiming with leases (<see cref="IStoryClaims"/>): what a claim takes, and what complete, release and renew do
/// to a lease the worker holds — each with its run-log entry. Expired and lost leases: <see cref="LeaseExpiryContract{TFixture}"/>.
/// </summary>
public abstract class ClaimsContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected ClaimsContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task ClaimAsync_ReadyAndOtherStories_ClaimsOnlyReadyOnesInPositionOrderUpToMax()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(
            StoryStatus.Pending, StoryStatus.Ready, StoryStatus.Completed, StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Failed, StoryStatus.Ready);

        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 2, Lease);

        claims.Select(c => c.Story.Position).Should().Equal(1, 3);
        claims.Should().AllSatisfy(c =>
        {
            c.WorkerId.Should().Be("worker-a");
            c.LeaseExpiresAt.Should().Be(Now + Lease);
            c.Story.Should().BeEquivalentTo(new { Status = StoryStatus.InProgress, ClaimedBy = "worker-a", LeaseExpiresAt = (DateTimeOffset?)(Now + Lease), Version = 2 });
        });
        var stored = await StoriesOfRunAsync(stories[0].RunId);
        stored.Select(s => s.Status).Should().Equal(
            StoryStatus.Pending, StoryStatus.InProgress, StoryStatus.Completed, StoryStatus.InProgress, StoryStatus.Ready, StoryStatus.Failed, StoryStatus.Ready);
        stored[1].Should().BeEquivalentTo(claims[0].Story, o => o.Excluding(s => s.Metadata));
        stored[3].Should().BeEquivalentTo(new { ClaimedBy = "worker-a", LeaseExpiresAt = (DateTimeOffset?)(Now + Lease), Version = 2, UpdatedAt = Now });
        stored.Where(s => s.Status != StoryStatus.InProgress).Should().OnlyContain(s => s.ClaimedBy == null && s.LeaseExpiresAt == null && s.Version == 1);
    }

    [SkippableFact]
    public async Task ClaimAsync_SecondWorker_GetsTheNextStoriesNeverTheSame()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Pending, StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Ready);
        var runId = stories[0].RunId;

        var first = await Db.Claims.ClaimAsync(runId, "worker-a", 2, Lease);
        var second = await Db.Claims.ClaimAsync(runId, "worker-b", 10, Lease);
        var third = await Db.Claims.ClaimAsync(runId, "worker-c", 10, Lease);

        first.Select(c => c.Story.Position).Should().Equal(0, 2);
        second.Select(c => c.Story.Position).Should().Equal(3, 4);
        second.Should().OnlyContain(c => c.Story.ClaimedBy == "worker-b");
        third.Should().BeEmpty("nothing is ready and no lease has expired");
        (await Db.Stories.GetAsync(stories[0].Id))!.ClaimedBy.Should().Be("worker-a");
    }

    [SkippableFact]
    public async Task ClaimAsync_ReadyStoriesOfOtherRuns_AreNotClaimed()
    {
        Fixture.SkipIfUnavailable();
        var other = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var mine = await SeedStoriesAsync(StoryStatus.Pending, StoryStatus.Ready);

        var claims = await Db.Claims.ClaimAsync(mine[0].RunId, "worker-a", 10, Lease);

        claims.Should().ContainSingle().Which.StoryId.Should().Be(mine[1].Id);
        (await StoriesOfRunAsync(other[0].RunId)).Should().OnlyContain(s => s.Status == StoryStatus.Ready && s.ClaimedBy == null);
    }

    [SkippableFact]
    public async Task ClaimAsync_ClaimedStories_LogsOneEntryEach()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Ready);

        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 2, Lease);

        var log = await LogOfRunAsync(stories[0].RunId);
        log.Should().HaveCount(2).And.OnlyContain(e => e.Kind == RunEventKinds.StoryClaimed && e.Worker == "worker-a" && e.OccurredAt == Now);
        log.Select(e => e.StoryId).Should().BeEquivalentTo(claims.Select(c => (Guid?)c.StoryId));
    }

    [SkippableFact]
    public async Task ClaimAsync_NothingClaimable_ReturnsEmptyAndLogsNothing()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Pending, StoryStatus.Completed);

        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 5, Lease);
        var unknownRun = await Db.Claims.ClaimAsync(TestData.NewRunId(), "worker-a", 5, Lease);

        claims.Should().BeEmpty();
        unknownRun.Should().BeEmpty();
        (await LogOfRunAsync(stories[0].RunId)).Should().BeEmpty();
    }

    [SkippableTheory]
    [InlineData(StoryStatus.Completed)]
    [InlineData(StoryStatus.Failed)]
    [InlineData(StoryStatus.Cancelled)]
    public async Task CompleteAsync_HeldLease_SetsResultClearsLeaseAndRaisesVersion(StoryStatus result)
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var claim = (await Db.Claims.ClaimAsync(story.RunId, "worker-a", 1, Lease)).Single();
        Fixture.Time.Advance(TimeSpan.FromSeconds(10));

        var version = await Db.Claims.CompleteAsync(claim, result, "details of the outcome");

        version.Should().Be(3);
        var stored = await Db.Stories.GetAsync(story.Id);
        stored.Should().BeEquivalentTo(new { Status = result, ClaimedBy = (string?)null, LeaseExpiresAt = (DateTimeOffset?)null, Version = 3, UpdatedAt = Now });
        var entry = (await LogOfRunAsync(story.RunId)).Last();
        entry.Should().BeEquivalentTo(new { Kind = RunEventKinds.StoryCompleted, StoryId = (Guid?)story.Id, Worker = "worker-a", OccurredAt = Now });
        entry.Message.Should().Contain(result.ToString()).And.Contain("details of the outcome");
        (await Db.Claims.ClaimAsync(story.RunId, "worker-b", 1, Lease)).Should().BeEmpty("a completed story is not claimable");
    }

    [SkippableFact]
    public async Task ReleaseAsync_HeldLease_MakesTheStoryReadyAndClaimableAgain()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var claim = (await Db.Claims.ClaimAsync(story.RunId, "worker-a", 1, Lease)).Single();

        await Db.Claims.ReleaseAsync(claim);

        var stored = await Db.Stories.GetAsync(story.Id);
        stored.Should().BeEquivalentTo(new { Status = StoryStatus.Ready, ClaimedBy = (string?)null, LeaseExpiresAt = (DateTimeOffset?)null, Version = 3 });
        var again = (await Db.Claims.ClaimAsync(story.RunId, "worker-b", 1, Lease)).Should().ContainSingle().Which;
        again.StoryId.Should().Be(story.Id);
        again.Version.Should().Be(4);
        (await LogOfRunAsync(story.RunId)).Select(e => (e.Kind, e.Worker)).Should().Equal(
            (RunEventKinds.StoryClaimed, "worker-a"), (RunEventKinds.StoryReleased, "worker-a"), (RunEventKinds.StoryClaimed, "worker-b"));
    }

    [SkippableFact]
    public async Task RenewAsync_HeldLease_ExtendsItPastTheOriginalExpiry()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var claim = (await Db.Claims.ClaimAsync(story.RunId, "worker-a", 1, TimeSpan.FromMinutes(1))).Single();
        Fixture.Time.Advance(TimeSpan.FromSeconds(50));

        var renewed = await Db.Claims.RenewAsync(claim, TimeSpan.FromMinutes(2));
        Fixture.Time.Advance(TimeSpan.FromSeconds(60));
        var byOther = await Db.Claims.ClaimAsync(story.RunId, "worker-b", 1, Lease);
        var version = await Db.Claims.CompleteAsync(renewed, StoryStatus.Completed);

        renewed.LeaseExpiresAt.Should().Be(claim.LeaseExpiresAt + TimeSpan.FromSeconds(110));
        renewed.Version.Should().Be(3);
        renewed.StoryId.Should().Be(story.Id);
        byOther.Should().BeEmpty("the renewed lease has not expired");
        version.Should().Be(4);
        (await LogOfRunAsync(story.RunId)).Select(e => e.Kind).Should().Equal(
            RunEventKinds.StoryClaimed, RunEventKinds.LeaseRenewed, RunEventKinds.StoryCompleted);
    }

    [SkippableFact]
    public async Task RenewAsync_StoredLease_MatchesTheReturnedClaim()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var claim = (await Db.Claims.ClaimAsync(story.RunId, "worker-a", 1, Lease)).Single();
        Fixture.Time.Advance(TimeSpan.FromTicks(12_345_678));

        var renewed = await Db.Claims.RenewAsync(claim, Lease);

        var stored = await Db.Stories.GetAsync(story.Id);
        stored.Should().BeEquivalentTo(new { Status = StoryStatus.InProgress, ClaimedBy = "worker-a", LeaseExpiresAt = (DateTimeOffset?)(Now + Lease), Version = 3, UpdatedAt = Now });
        renewed.LeaseExpiresAt.Should().Be(stored!.LeaseExpiresAt!.Value);
        renewed.Story.Should().BeEquivalentTo(stored, o => o.Excluding(s => s.Metadata));
    }

    [SkippableFact]
    public async Task ClaimAsync_InsideSession_CommitsOrRollsBackWithIt()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var runId = stories[0].RunId;

        await using (var session = await Db.BeginSessionAsync())
        {
            (await session.Claims.ClaimAsync(runId, "worker-a", 2, Lease)).Should().HaveCount(2);
            await session.RollbackAsync();
        }

        (await StoriesOfRunAsync(runId)).Should().OnlyContain(s => s.Status == StoryStatus.Ready && s.Version == 1);
        (await LogOfRunAsync(runId)).Should().BeEmpty();

        await using (var session = await Db.BeginSessionAsync())
        {
            var claim = (await session.Claims.ClaimAsync(runId, "worker-a", 1, Lease)).Single();
            await session.Claims.CompleteAsync(claim, StoryStatus.Completed);
            await session.CommitAsync();
        }

        (await StoriesOfRunAsync(runId)).Select(s => s.Status).Should().Equal(StoryStatus.Completed, StoryStatus.Ready);
        (await LogOfRunAsync(runId)).Select(e => e.Kind).Should().Equal(RunEventKinds.StoryClaimed, RunEventKinds.StoryCompleted);
    }

    [SkippableFact]
    public async Task ClaimAsync_InvalidArguments_ThrowBeforeTouchingTheDatabase()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready);
        var runId = stories[0].RunId;

        await FluentActions.Awaiting(() => Db.Claims.ClaimAsync(runId, "w", 0, Lease)).Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("maxStories");
        await FluentActions.Awaiting(() => Db.Claims.ClaimAsync(runId, "w", 1_001, Lease)).Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("maxStories");
        await FluentActions.Awaiting(() => Db.Claims.ClaimAsync(runId, string.Empty, 1, Lease)).Should().ThrowAsync<ArgumentException>().WithParameterName("workerId");
        await FluentActions.Awaiting(() => Db.Claims.ClaimAsync(runId, "  ", 1, Lease)).Should().ThrowAsync<ArgumentException>().WithParameterName("workerId");
        await FluentActions.Awaiting(() => Db.Claims.ClaimAsync(runId, new string('w', RunEngineLimits.WorkerIdMaxLength + 1), 1, Lease))
            .Should().ThrowAsync<ArgumentException>().WithParameterName("workerId");
        await FluentActions.Awaiting(() => Db.Claims.ClaimAsync(runId, "w", 1, TimeSpan.Zero)).Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("lease");
        await FluentActions.Awaiting(() => Db.Claims.ClaimAsync(Guid.Empty, "w", 1, Lease)).Should().ThrowAsync<ArgumentException>().WithParameterName("runId");
        (await Db.Stories.GetAsync(stories[0].Id))!.Status.Should().Be(StoryStatus.Ready);

        var claim = (await Db.Claims.ClaimAsync(runId, "w", 1, Lease)).Single();
        await FluentActions.Awaiting(() => Db.Claims.CompleteAsync(claim, StoryStatus.InProgress)).Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("result");
        await FluentActions.Awaiting(() => Db.Claims.RenewAsync(claim, TimeSpan.FromSeconds(-1))).Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("lease");
        await FluentActions.Awaiting(() => Db.Claims.ReleaseAsync(null!)).Should().ThrowAsync<ArgumentNullException>();
        (await Db.Stories.GetAsync(stories[0].Id))!.Version.Should().Be(claim.Version, "rejected calls change nothing");
    }
}
