using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Repositories;
using RunEngine.Data.Resilience;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Claims repeated after an unknown commit outcome (issue 11): the stories the lost attempt claimed are returned first
/// (exactly those, found by the call's own claim log entries, never other stories the worker holds), and only the
/// rest of the count is claimed anew; one <c>story.claimed</c> entry per story.
/// </summary>
public abstract class ClaimRepeatContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);
    private static readonly OperationAttempt Repeat = new(2, earlierMayHaveCommitted: true);

    protected ClaimRepeatContract(TFixture fixture)
        : base(fixture)
    {
    }

    private StoryClaims Claims => (StoryClaims)Db.Claims;

    private static StoryStatus[] Ready(int count) => Enumerable.Repeat(StoryStatus.Ready, count).ToArray();

    [SkippableFact]
    public async Task ClaimAsync_RepeatAfterApplied_ReturnsTheSameStoriesAndClaimsNoMore()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(Ready(5));
        var runId = stories[0].RunId;
        var call = Claims.NewClaimCall(runId, "worker-a", 3, Lease);

        var first = await Claims.ClaimAttemptAsync(call, OperationAttempt.First, default);
        var repeated = await Claims.ClaimAttemptAsync(call, Repeat, default);

        first.Should().HaveCount(3);
        repeated.Select(c => (c.StoryId, c.Version, c.LeaseExpiresAt)).Should().Equal(first.Select(c => (c.StoryId, c.Version, c.LeaseExpiresAt)));
        (await StoriesOfRunAsync(runId)).Count(s => s.ClaimedBy == "worker-a").Should().Be(3);
        (await LogOfRunAsync(runId)).Where(e => e.Kind == RunEventKinds.StoryClaimed).Should().HaveCount(3);
    }

    [SkippableFact]
    public async Task ClaimAsync_RepeatAfterAShortClaim_ReturnsItsStoriesAndClaimsOnlyUpToTheCount()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Pending, StoryStatus.Pending);
        var runId = stories[0].RunId;
        var call = Claims.NewClaimCall(runId, "worker-a", 3, Lease);
        var first = await Claims.ClaimAttemptAsync(call, OperationAttempt.First, default);
        first.Should().HaveCount(2);
        // Two more stories become ready before the repeat.
        await Db.Stories.UpdateStatusAsync(stories[2].Id, StoryStatus.Ready, stories[2].Version);
        await Db.Stories.UpdateStatusAsync(stories[3].Id, StoryStatus.Ready, stories[3].Version);

        var repeated = await Claims.ClaimAttemptAsync(call, Repeat, default);

        repeated.Should().HaveCount(3);
        repeated.Select(c => c.StoryId).Should().Equal(stories[0].Id, stories[1].Id, stories[2].Id);
        (await LogOfRunAsync(runId)).Where(e => e.Kind == RunEventKinds.StoryClaimed).Should().HaveCount(3);
    }

    [SkippableFact]
    public async Task ClaimAsync_RepeatWhileTheWorkerHoldsOtherStories_ReturnsOnlyThisCallsStories()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(Ready(4));
        var runId = stories[0].RunId;
        var held = (await Db.Claims.ClaimAsync(runId, "worker-a", 1, Lease)).Single();
        var call = Claims.NewClaimCall(runId, "worker-a", 2, Lease);
        var first = await Claims.ClaimAttemptAsync(call, OperationAttempt.First, default);

        var repeated = await Claims.ClaimAttemptAsync(call, Repeat, default);

        repeated.Select(c => c.StoryId).Should().Equal(first.Select(c => c.StoryId)).And.NotContain(held.StoryId);
        (await StoriesOfRunAsync(runId)).Count(s => s.ClaimedBy == "worker-a").Should().Be(3);
    }

    [SkippableFact]
    public async Task ClaimAsync_RepeatWhenNothingWasStored_ClaimsAsTheFirstAttemptWould()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(Ready(3));
        var runId = stories[0].RunId;
        var call = Claims.NewClaimCall(runId, "worker-a", 2, Lease);

        var repeated = await Claims.ClaimAttemptAsync(call, Repeat, default);

        repeated.Select(c => c.StoryId).Should().Equal(stories[0].Id, stories[1].Id);
        (await LogOfRunAsync(runId)).Where(e => e.Kind == RunEventKinds.StoryClaimed).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task ClaimAsync_RepeatAfterTheClaimedStoryMovedOn_ClaimsAgainInsteadOfReturningIt()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(Ready(2));
        var runId = stories[0].RunId;
        var call = Claims.NewClaimCall(runId, "worker-a", 1, Lease);
        var first = (await Claims.ClaimAttemptAsync(call, OperationAttempt.First, default)).Single();
        // The story changed since that claim (an operator reset it): it is no longer as the lost attempt left it.
        await Db.Stories.UpdateStatusAsync(first.StoryId, StoryStatus.Ready, first.Version);

        var repeated = (await Claims.ClaimAttemptAsync(call, Repeat, default)).Single();

        repeated.StoryId.Should().Be(first.StoryId, "it is ready again and first in position order");
        repeated.Version.Should().Be(first.Version + 2, "claimed anew after the reset, not handed back as the lost claim");
        (await LogOfRunAsync(runId)).Where(e => e.Kind == RunEventKinds.StoryClaimed).Should().HaveCount(2);
    }
}
