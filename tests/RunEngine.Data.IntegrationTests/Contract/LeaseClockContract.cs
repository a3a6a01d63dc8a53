using Microsoft.Extensions.Time.Testing;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// <see cref="RunEngineOptions.LeaseClock"/>: with the default, <see cref="LeaseClock.Database"/>, leases expire and are
/// extended by the database's time whatever the host's clock says (each test gives the host a fake clock years off);
/// the lease, updated_at and run-log time a call returns are the stored ones; <see cref="LeaseClock.Host"/> keeps the
/// host's clock. The database's time is read from what it stored (updated_at), so the tests hold whatever the skew
/// between the test host and the server; only "near the real time" allows a generous <see cref="Skew"/>.
/// </summary>
public abstract class LeaseClockContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>How far the server's clock may be from the test host's (a remote SQL Server, say).</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(30);

    private static readonly DateTimeOffset FarBehind = new(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected LeaseClockContract(TFixture fixture)
        : base(fixture)
    {
    }

    private static DateTimeOffset RealNow => TimeProvider.System.GetUtcNow();

    private static DateTimeOffset FarAhead => RealNow.AddYears(10);

    [Fact]
    public void LeaseClock_Default_IsTheDatabase()
    {
        new RunEngineOptions().LeaseClock.Should().Be(LeaseClock.Database);
    }

    [SkippableFact]
    public async Task ClaimAsync_LeaseTheDatabaseSaysExpired_ClaimableEvenWhenTheHostClockIsFarBehind()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var expired = Leased(runId, 0, RealNow - TimeSpan.FromHours(2));
        await Db.Stories.AddRangeAsync([expired]);
        await using var db = Create(LeaseClock.Database, FarBehind);

        var claim = (await db.Claims.ClaimAsync(runId, "worker-b", 10, Lease)).Should().ContainSingle().Subject;

        claim.StoryId.Should().Be(expired.Id);
        claim.Story.ClaimedBy.Should().Be("worker-b");
        claim.Story.UpdatedAt.Should().BeCloseTo(RealNow, Skew, "the claim's now is the database's, not the host's year 2001");
        claim.LeaseExpiresAt.Should().Be(claim.Story.UpdatedAt + Lease);
        var stored = (await db.Stories.GetAsync(claim.StoryId))!;
        stored.LeaseExpiresAt.Should().Be(claim.LeaseExpiresAt, "the returned lease is the stored one");
        claim.Story.LeaseExpiresAt.Should().Be(stored.LeaseExpiresAt);
        stored.UpdatedAt.Should().Be(claim.Story.UpdatedAt);
        var entry = (await LogOfRunAsync(runId)).Should().ContainSingle().Subject;
        entry.Should().BeEquivalentTo(new { Kind = RunEventKinds.StoryClaimed, Worker = "worker-b", OccurredAt = stored.UpdatedAt });
    }

    [SkippableFact]
    public async Task ClaimAsync_LeaseTheDatabaseSaysHeld_NotClaimableEvenWhenTheHostClockIsFarAhead()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var held = Leased(runId, 0, RealNow + TimeSpan.FromHours(2));
        await Db.Stories.AddRangeAsync([held]);
        var before = await Db.Stories.GetAsync(held.Id);
        await using var db = Create(LeaseClock.Database, FarAhead);

        var claims = await db.Claims.ClaimAsync(runId, "worker-b", 10, Lease);

        claims.Should().BeEmpty("the database's clock says the lease still runs for two hours");
        (await db.Stories.GetAsync(held.Id)).Should().BeEquivalentTo(before);
    }

    [SkippableFact]
    public async Task RenewCompleteRelease_HostClockFarAhead_ExtendByTheDatabaseTimeAndSucceed()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var runId = stories[0].RunId;
        await using var db = Create(LeaseClock.Database, FarAhead);
        var claims = await db.Claims.ClaimAsync(runId, "worker-a", 2, Lease);

        var renewed = await db.Claims.RenewAsync(claims[0], TimeSpan.FromMinutes(10));
        var afterRenewal = (await db.Stories.GetAsync(renewed.StoryId))!;
        var version = await db.Claims.CompleteAsync(renewed, StoryStatus.Completed, "done");
        await db.Claims.ReleaseAsync(claims[1]);

        renewed.Version.Should().Be(claims[0].Version + 1);
        renewed.Story.UpdatedAt.Should().BeOnOrAfter(claims[0].Story.UpdatedAt).And.BeCloseTo(RealNow, Skew, "the host is ten years ahead");
        renewed.LeaseExpiresAt.Should().Be(renewed.Story.UpdatedAt + TimeSpan.FromMinutes(10));
        afterRenewal.LeaseExpiresAt.Should().Be(renewed.LeaseExpiresAt, "the returned lease is the stored one");
        afterRenewal.UpdatedAt.Should().Be(renewed.Story.UpdatedAt);
        afterRenewal.Version.Should().Be(renewed.Version);
        var completed = (await db.Stories.GetAsync(renewed.StoryId))!;
        completed.Should().BeEquivalentTo(new { Status = StoryStatus.Completed, ClaimedBy = (string?)null, LeaseExpiresAt = (DateTimeOffset?)null, Version = version });
        completed.UpdatedAt.Should().BeOnOrAfter(afterRenewal.UpdatedAt).And.BeCloseTo(RealNow, Skew);
        var released = (await db.Stories.GetAsync(claims[1].StoryId))!;
        released.Should().BeEquivalentTo(new { Status = StoryStatus.Ready, ClaimedBy = (string?)null, Version = claims[1].Version + 1 });
        var log = await LogOfRunAsync(runId);
        log.Where(e => e.StoryId == renewed.StoryId).Select(e => (e.Kind, e.OccurredAt)).Should().Equal(
            (RunEventKinds.StoryClaimed, claims[0].Story.UpdatedAt),
            (RunEventKinds.LeaseRenewed, afterRenewal.UpdatedAt),
            (RunEventKinds.StoryCompleted, completed.UpdatedAt));
        log.Where(e => e.StoryId == released.Id).Select(e => (e.Kind, e.OccurredAt)).Should().Equal(
            (RunEventKinds.StoryClaimed, claims[1].Story.UpdatedAt),
            (RunEventKinds.StoryReleased, released.UpdatedAt));
    }

    [SkippableFact]
    public async Task RenewAsync_LeaseExpiredOnTheDatabaseClock_LostAndReclaimableWhileTheHostClockStandsStill()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        await using var db = Create(LeaseClock.Database, FarBehind);
        var claim = (await db.Claims.ClaimAsync(story.RunId, "worker-a", 1, TimeSpan.FromMilliseconds(50))).Single();

        // The host's fake clock never moves; only the database's time passes the lease's end.
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        var renew = () => db.Claims.RenewAsync(claim, Lease);
        var complete = () => db.Claims.CompleteAsync(claim, StoryStatus.Completed);
        var lost = (await renew.Should().ThrowAsync<LeaseLostException>()).Which;
        await complete.Should().ThrowAsync<LeaseLostException>();
        var reclaimed = await db.Claims.ClaimAsync(story.RunId, "worker-b", 1, Lease);

        lost.Reason.Should().Contain("expired");
        reclaimed.Should().ContainSingle().Which.Should().BeEquivalentTo(new { StoryId = story.Id, WorkerId = "worker-b", Version = claim.Version + 1 });
    }

    [SkippableFact]
    public async Task HostClock_FakeClockFarBehind_DecidesExpiryAsBefore()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var expiredForTheServer = Leased(runId, 0, RealNow - TimeSpan.FromHours(2));
        var ready = TestData.Story(runId, 1, StoryStatus.Ready);
        await Db.Stories.AddRangeAsync([expiredForTheServer, ready]);
        await using var db = Create(LeaseClock.Host, FarBehind);

        var claim = (await db.Claims.ClaimAsync(runId, "worker-b", 10, Lease)).Should().ContainSingle().Subject;
        var renewed = await db.Claims.RenewAsync(claim, TimeSpan.FromMinutes(10));

        claim.StoryId.Should().Be(ready.Id, "in 2001 the other lease still runs");
        claim.LeaseExpiresAt.Should().Be(FarBehind + Lease);
        claim.Story.UpdatedAt.Should().Be(FarBehind);
        renewed.LeaseExpiresAt.Should().Be(FarBehind + TimeSpan.FromMinutes(10));
        (await db.Stories.GetAsync(ready.Id))!.LeaseExpiresAt.Should().Be(renewed.LeaseExpiresAt);
        (await LogOfRunAsync(runId)).Select(e => e.OccurredAt).Should().Equal(FarBehind, FarBehind);
    }

    private RunEngineDatabase Create(LeaseClock clock, DateTimeOffset hostNow) => Fixture.CreateDatabase(o =>
    {
        o.LeaseClock = clock;
        o.TimeProvider = new FakeTimeProvider(hostNow);
    });

    /// <summary>A story another worker holds until <paramref name="expires"/>, written by the bulk path.</summary>
    private static Story Leased(Guid runId, int position, DateTimeOffset expires)
    {
        var story = TestData.Story(runId, position, StoryStatus.InProgress);
        story.ClaimedBy = "gone";
        story.LeaseExpiresAt = expires;
        return story;
    }
}
