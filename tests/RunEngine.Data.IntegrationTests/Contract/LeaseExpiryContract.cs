using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Expired leases, on the fixture's fake clock: an expired lease makes the story claimable again, and a worker whose
/// lease is lost can neither complete, renew nor release the story (<see cref="LeaseLostException"/>, nothing
/// changed). The boundary tests catch timestamp comparisons that go wrong in the database (text formats on SQLite).
/// </summary>
public abstract class LeaseExpiryContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    protected LeaseExpiryContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task ClaimAsync_ExpiredLease_ReclaimedByAnotherWorkerFirstInPositionOrder()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var lost = (await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 1, Lease)).Single();
        Fixture.Time.Advance(Lease + TimeSpan.FromSeconds(1));

        var reclaimed = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-b", 1, Lease);

        var claim = reclaimed.Should().ContainSingle().Which;
        claim.StoryId.Should().Be(lost.StoryId, "the expired story comes first by position");
        claim.Version.Should().Be(3);
        claim.LeaseExpiresAt.Should().Be(Now + Lease);
        (await Db.Stories.GetAsync(lost.StoryId)).Should().BeEquivalentTo(new { ClaimedBy = "worker-b", Status = StoryStatus.InProgress, Version = 3 });
    }

    [SkippableFact]
    public async Task CompleteAsync_LeaseReclaimedByAnotherWorker_ThrowsLeaseLostAndChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var lost = (await Db.Claims.ClaimAsync(story.RunId, "worker-a", 1, Lease)).Single();
        Fixture.Time.Advance(Lease * 2);
        var current = (await Db.Claims.ClaimAsync(story.RunId, "worker-b", 1, Lease)).Single();
        var before = await Db.Stories.GetAsync(story.Id);
        var logged = (await LogOfRunAsync(story.RunId)).Count;

        var complete = () => Db.Claims.CompleteAsync(lost, StoryStatus.Completed);
        var renew = () => Db.Claims.RenewAsync(lost, Lease);
        var release = () => Db.Claims.ReleaseAsync(lost);

        var error = (await complete.Should().ThrowAsync<LeaseLostException>()).Which;
        error.StoryId.Should().Be(story.Id);
        error.WorkerId.Should().Be("worker-a");
        error.Reason.Should().Contain("another worker");
        await renew.Should().ThrowAsync<LeaseLostException>();
        await release.Should().ThrowAsync<LeaseLostException>();
        (await Db.Stories.GetAsync(story.Id)).Should().BeEquivalentTo(before);
        (await LogOfRunAsync(story.RunId)).Should().HaveCount(logged, "a lost lease writes no log entry");
        (await Db.Claims.CompleteAsync(current, StoryStatus.Completed)).Should().Be(current.Version + 1, "the new holder still completes");
    }

    [SkippableFact]
    public async Task CompleteAsync_LeaseExpiredButNotReclaimed_ThrowsLeaseLostAndChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var claim = (await Db.Claims.ClaimAsync(story.RunId, "worker-a", 1, Lease)).Single();
        Fixture.Time.Advance(Lease + TimeSpan.FromMilliseconds(1));
        var before = await Db.Stories.GetAsync(story.Id);

        var complete = () => Db.Claims.CompleteAsync(claim, StoryStatus.Completed);
        var renew = () => Db.Claims.RenewAsync(claim, Lease);

        (await complete.Should().ThrowAsync<LeaseLostException>()).Which.Reason.Should().Contain("expired");
        await renew.Should().ThrowAsync<LeaseLostException>();
        (await Db.Stories.GetAsync(story.Id)).Should().BeEquivalentTo(before);
        (await LogOfRunAsync(story.RunId)).Select(e => e.Kind).Should().Equal(RunEventKinds.StoryClaimed);
    }

    [SkippableFact]
    public async Task CompleteAsync_ClaimSupersededByRenewal_ThrowsLeaseLost()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var original = (await Db.Claims.ClaimAsync(story.RunId, "worker-a", 1, Lease)).Single();
        var renewed = await Db.Claims.RenewAsync(original, Lease);

        var stale = () => Db.Claims.CompleteAsync(original, StoryStatus.Completed);

        (await stale.Should().ThrowAsync<LeaseLostException>()).Which.Reason.Should().Contain("version");
        (await Db.Stories.GetAsync(story.Id))!.Version.Should().Be(renewed.Version);
    }

    [SkippableFact]
    public async Task ClaimAsync_AtTheExactExpiry_NotYetClaimableButOneMicrosecondLaterItIs()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        Fixture.Time.Advance(TimeSpan.FromTicks(4_321));
        await Db.Claims.ClaimAsync(story.RunId, "worker-a", 1, Lease);

        Fixture.Time.Advance(Lease);
        var atExpiry = await Db.Claims.ClaimAsync(story.RunId, "worker-b", 1, Lease);
        Fixture.Time.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond));
        var after = await Db.Claims.ClaimAsync(story.RunId, "worker-b", 1, Lease);

        atExpiry.Should().BeEmpty("a lease is held until its expiry instant");
        after.Should().ContainSingle().Which.StoryId.Should().Be(story.Id);
    }

    [SkippableFact]
    public async Task RenewAsync_OneMicrosecondBeforeExpiry_Succeeds()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var claim = (await Db.Claims.ClaimAsync(story.RunId, "worker-a", 1, TimeSpan.FromSeconds(1))).Single();
        Fixture.Time.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond));

        var renewed = await Db.Claims.RenewAsync(claim, Lease);

        renewed.LeaseExpiresAt.Should().Be(Now + Lease);
        (await Db.Stories.GetAsync(story.Id))!.LeaseExpiresAt.Should().Be(Now + Lease);
    }

    [SkippableFact]
    public async Task ClaimAsync_LeasesWrittenByTheBulkPath_ComparedWithTheClock()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var now = Fixture.Time.GetUtcNow();
        Story InProgress(int position, string worker, DateTimeOffset expires)
        {
            var story = TestData.Story(runId, position, StoryStatus.InProgress);
            story.ClaimedBy = worker;
            story.LeaseExpiresAt = expires;
            return story;
        }

        // Leases stored by each provider's bulk writer, in offsets other than UTC, against @Now bound as a parameter.
        var stories = new[]
        {
            InProgress(0, "held", now.AddMicroseconds(1).ToOffset(TimeSpan.FromHours(-7))),
            InProgress(1, "expired", now.AddMicroseconds(-1).ToOffset(TimeSpan.FromHours(9))),
            InProgress(2, "held", now.AddHours(1)),
            InProgress(3, "expired", now.AddDays(-1).ToOffset(TimeSpan.FromHours(14))),
            InProgress(4, "held", now.AddSeconds(10).ToOffset(TimeSpan.FromHours(-12))),
            TestData.Story(runId, 5, StoryStatus.Ready),
            InProgress(6, "expired", now.AddSeconds(-10)),
        };
        await Db.Stories.AddRangeAsync(stories);

        var claims = await Db.Claims.ClaimAsync(runId, "worker-a", 10, Lease);

        claims.Select(c => c.Story.Position).Should().Equal(1, 3, 5, 6);
        (await StoriesOfRunAsync(runId)).Where(s => s.ClaimedBy == "held").Select(s => s.LeaseExpiresAt)
            .Should().Equal(stories.Where(s => s.ClaimedBy == "held").Select(s => (DateTimeOffset?)TestData.Stored(s.LeaseExpiresAt!.Value)));
    }
}
