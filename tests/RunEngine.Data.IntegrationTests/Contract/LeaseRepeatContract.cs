using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Providers;
using RunEngine.Data.Repositories;
using RunEngine.Data.Resilience;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Lease transitions repeated after an unknown commit outcome (issue 11): a claim whose story shows the state the
/// lost attempt wrote is success with the result the first attempt gave, not a lost lease; one log entry; version + 1.
/// A lease really lost (another worker, a newer version) is still lost on a repeat.
/// </summary>
public abstract class LeaseRepeatContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);
    private static readonly OperationAttempt Repeat = new(2, earlierMayHaveCommitted: true);

    protected LeaseRepeatContract(TFixture fixture)
        : base(fixture)
    {
    }

    private StoryClaims Claims => (StoryClaims)Db.Claims;

    [SkippableFact]
    public async Task RenewAsync_RepeatAfterApplied_ReturnsTheSameLeaseAndLogsOnce()
    {
        Fixture.SkipIfUnavailable();
        var claim = await ClaimOneAsync();
        Fixture.Time.Advance(TimeSpan.FromSeconds(5));
        var renewal = Claims.NewRenewal(claim, Lease);

        var first = await Claims.TransitionAttemptAsync(renewal, OperationAttempt.First, default);
        var repeated = await Claims.TransitionAttemptAsync(renewal, Repeat, default);

        repeated.Should().Be(first);
        first.Version.Should().Be(claim.Version + 1);
        var stored = (await Db.Stories.GetAsync(claim.StoryId))!;
        stored.Should().BeEquivalentTo(new { Version = claim.Version + 1, ClaimedBy = claim.WorkerId, LeaseExpiresAt = first.LeaseExpiresAt });
        (await LogOfRunAsync(claim.Story.RunId)).Where(e => e.Kind == RunEventKinds.LeaseRenewed).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task CompleteAsync_RepeatAfterApplied_ReturnsTheSameVersionAndLogsOnce()
    {
        Fixture.SkipIfUnavailable();
        var claim = await ClaimOneAsync();
        var completion = Claims.NewCompletion(claim, StoryStatus.Completed, "done");

        var first = await Claims.TransitionAttemptAsync(completion, OperationAttempt.First, default);
        var repeated = await Claims.TransitionAttemptAsync(completion, Repeat, default);

        repeated.Should().Be(first);
        (await Db.Stories.GetAsync(claim.StoryId))!.Should().BeEquivalentTo(new { Status = StoryStatus.Completed, Version = claim.Version + 1, ClaimedBy = (string?)null });
        (await LogOfRunAsync(claim.Story.RunId)).Where(e => e.Kind == RunEventKinds.StoryCompleted).Should().ContainSingle().Which.Message.Should().Be("Completed: done");
    }

    [SkippableFact]
    public async Task ReleaseAsync_RepeatAfterApplied_SucceedsAndLogsOnce()
    {
        Fixture.SkipIfUnavailable();
        var claim = await ClaimOneAsync();
        var release = Claims.NewRelease(claim);

        var first = await Claims.TransitionAttemptAsync(release, OperationAttempt.First, default);
        var repeated = await Claims.TransitionAttemptAsync(release, Repeat, default);

        repeated.Should().Be(first);
        (await Db.Stories.GetAsync(claim.StoryId))!.Should().BeEquivalentTo(new { Status = StoryStatus.Ready, Version = claim.Version + 1 });
        (await LogOfRunAsync(claim.Story.RunId)).Where(e => e.Kind == RunEventKinds.StoryReleased).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task CompleteAsync_RepeatAfterAnotherChange_IsStillLeaseLost()
    {
        Fixture.SkipIfUnavailable();
        var claim = await ClaimOneAsync();
        var completion = Claims.NewCompletion(claim, StoryStatus.Completed, null);
        // The same worker's other call moved the story on: the lost attempt never applied this one.
        var renewed = await Db.Claims.RenewAsync(claim, Lease);

        var act = () => Claims.TransitionAttemptAsync(completion, Repeat, default);

        (await act.Should().ThrowAsync<LeaseLostException>()).Which.Reason.Should().Be($"the story's version is now {renewed.Version}, not {claim.Version}");
        (await LogOfRunAsync(claim.Story.RunId)).Where(e => e.Kind == RunEventKinds.StoryCompleted).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task RenewAsync_RetryAfterFailureBeforeCommit_RenewsOnce()
    {
        Fixture.SkipIfUnavailable();
        var claim = await ClaimOneAsync();

        var stored = await Claims.TransitionAttemptAsync(Claims.NewRenewal(claim, Lease), new OperationAttempt(2, earlierMayHaveCommitted: false), default);

        stored.Version.Should().Be(claim.Version + 1);
        (await LogOfRunAsync(claim.Story.RunId)).Where(e => e.Kind == RunEventKinds.LeaseRenewed).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task CompleteManyAsync_RepeatAfterAppliedBatchWithALostLease_GivesTheFirstOutcomesAndLogsOnce()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Ready);
        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 3, Lease);
        await Db.Claims.RenewAsync(claims[2], Lease);
        var steps = claims.Select(c => (new LeaseStep(c, StoryStatus.Completed), (string?)"Completed")).ToArray();
        var eventIds = claims.Select(_ => Guid.CreateVersion7()).ToArray();

        var first = await Claims.BatchAttemptAsync(steps, eventIds, null, RunEventKinds.StoryCompleted, OperationAttempt.First, default);
        var repeated = await Claims.BatchAttemptAsync(steps, eventIds, null, RunEventKinds.StoryCompleted, Repeat, default);

        first.Succeeded.Should().Be(2);
        repeated.Outcomes.Select(o => (o.StoryId, o.Version, o.LostReason)).Should().Equal(first.Outcomes.Select(o => (o.StoryId, o.Version, o.LostReason)));
        var stored = (await StoriesOfRunAsync(stories[0].RunId)).ToDictionary(s => s.Id);
        stored[claims[0].StoryId].Version.Should().Be(claims[0].Version + 1);
        stored[claims[1].StoryId].Version.Should().Be(claims[1].Version + 1);
        (await LogOfRunAsync(stories[0].RunId)).Where(e => e.Kind == RunEventKinds.StoryCompleted).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task RenewManyAsync_RepeatAfterApplied_ReturnsTheSameRenewedClaims()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 2, Lease);
        Fixture.Time.Advance(TimeSpan.FromSeconds(5));
        var steps = claims.Select(c => (new LeaseStep(c, StoryStatus.InProgress), (string?)null)).ToArray();
        var eventIds = claims.Select(_ => Guid.CreateVersion7()).ToArray();

        var first = await Claims.BatchAttemptAsync(steps, eventIds, Lease, RunEventKinds.LeaseRenewed, OperationAttempt.First, default);
        var repeated = await Claims.BatchAttemptAsync(steps, eventIds, Lease, RunEventKinds.LeaseRenewed, Repeat, default);

        first.Succeeded.Should().Be(2);
        repeated.Outcomes.Select(o => (o.StoryId, o.Version, o.Renewed!.LeaseExpiresAt, o.Renewed.Story.UpdatedAt))
            .Should().Equal(first.Outcomes.Select(o => (o.StoryId, o.Version, o.Renewed!.LeaseExpiresAt, o.Renewed.Story.UpdatedAt)));
        (await LogOfRunAsync(stories[0].RunId)).Where(e => e.Kind == RunEventKinds.LeaseRenewed).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task ReleaseManyAsync_RepeatWhenNothingWasStoredAndALeaseIsGone_ReportsItLost()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 2, Lease);
        await Db.Claims.ReleaseAsync(claims[1]);
        var steps = claims.Select(c => (new LeaseStep(c, StoryStatus.Ready), (string?)"released")).ToArray();
        var eventIds = claims.Select(_ => Guid.CreateVersion7()).ToArray();

        var repeated = await Claims.BatchAttemptAsync(steps, eventIds, null, RunEventKinds.StoryReleased, Repeat, default);

        repeated.Succeeded.Should().Be(1);
        repeated.Lost.Should().ContainSingle().Which.StoryId.Should().Be(claims[1].StoryId);
    }

    private async Task<StoryClaim> ClaimOneAsync()
    {
        var story = (await SeedStoriesAsync(StoryStatus.Ready)).Single();
        return (await Db.Claims.ClaimAsync(story.RunId, "worker-a", 1, Lease)).Single();
    }
}
