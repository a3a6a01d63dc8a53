using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Claims and lease transitions name their run (the claim's <see cref="Story.RunId"/>) in every statement: they behave
/// exactly as before for the claim's own run, a claim whose story names another run finds no row (lost, as a missing
/// story) and changes nothing, a batch may hold claims of several runs, and a claim takes stories of its run only.
/// </summary>
public abstract class RunScopedClaimContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    protected RunScopedClaimContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task ClaimAsync_TwoRunsReady_ClaimsOnlyTheRequestedRunsStories()
    {
        Fixture.SkipIfUnavailable();
        var run = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var other = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);

        var claims = await Db.Claims.ClaimAsync(run[0].RunId, "worker-a", 5, Lease);

        claims.Select(c => c.StoryId).Should().Equal(run.Select(s => s.Id));
        claims.Should().OnlyContain(c => c.Story.RunId == run[0].RunId);
        (await StoriesOfRunAsync(other[0].RunId)).Should().OnlyContain(s => s.Status == StoryStatus.Ready && s.Version == 1 && s.ClaimedBy == null);
    }

    [SkippableFact]
    public async Task RenewCompleteRelease_ClaimsOfTheirRun_BehaveAsBefore()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var runId = stories[0].RunId;
        var claims = await Db.Claims.ClaimAsync(runId, "worker-a", 2, TimeSpan.FromMinutes(1));

        var renewed = await Db.Claims.RenewAsync(claims[0], Lease);
        var completed = await Db.Claims.CompleteAsync(renewed, StoryStatus.Completed, "done");
        await Db.Claims.ReleaseAsync(claims[1]);

        renewed.Version.Should().Be(claims[0].Version + 1);
        renewed.LeaseExpiresAt.Should().Be(Now + Lease);
        completed.Should().Be(renewed.Version + 1);
        var stored = (await StoriesOfRunAsync(runId)).ToDictionary(s => s.Id);
        stored[stories[0].Id].Should().BeEquivalentTo(new { Status = StoryStatus.Completed, Version = completed, ClaimedBy = (string?)null, LeaseExpiresAt = (DateTimeOffset?)null });
        stored[stories[1].Id].Should().BeEquivalentTo(new { Status = StoryStatus.Ready, Version = claims[1].Version + 1, ClaimedBy = (string?)null });
        (await LogOfRunAsync(runId)).Select(e => (e.Kind, e.StoryId)).Should().Equal(
            (RunEventKinds.StoryClaimed, stories[0].Id),
            (RunEventKinds.StoryClaimed, stories[1].Id),
            (RunEventKinds.LeaseRenewed, stories[0].Id),
            (RunEventKinds.StoryCompleted, stories[0].Id),
            (RunEventKinds.StoryReleased, stories[1].Id));
    }

    [SkippableFact]
    public async Task RenewAsync_ClaimNamingAnotherRun_IsLostAsAMissingStoryAndChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var claim = (await Db.Claims.ClaimAsync(story.RunId, "worker-a", 1, Lease)).Single();
        var elsewhere = OfRun(claim, TestData.NewRunId());

        var renew = () => Db.Claims.RenewAsync(elsewhere, Lease);
        var complete = () => Db.Claims.CompleteAsync(elsewhere, StoryStatus.Completed);
        var release = () => Db.Claims.ReleaseAsync(elsewhere);

        foreach (var act in new[] { renew, complete, release })
        {
            var lost = (await act.Should().ThrowAsync<LeaseLostException>()).Which;
            lost.StoryId.Should().Be(story.Id);
            lost.Reason.Should().Be("the story no longer exists", "a story of another run is treated as missing");
        }

        (await Db.Stories.GetAsync(story.Id)).Should().BeEquivalentTo(new { Status = StoryStatus.InProgress, claim.Version, ClaimedBy = "worker-a" });
        (await LogOfRunAsync(story.RunId)).Select(e => e.Kind).Should().Equal(RunEventKinds.StoryClaimed);
        (await Db.Claims.CompleteAsync(claim, StoryStatus.Completed)).Should().Be(claim.Version + 1, "the claim of the story's own run still holds");
    }

    [SkippableFact]
    public async Task CompleteManyAsync_ClaimsOfTwoRuns_AppliesEveryOne()
    {
        Fixture.SkipIfUnavailable();
        var first = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var second = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var claims = (await Db.Claims.ClaimAsync(first[0].RunId, "worker-a", 2, Lease))
            .Concat(await Db.Claims.ClaimAsync(second[0].RunId, "worker-a", 2, Lease)).ToList();

        var result = await Db.Claims.CompleteManyAsync(claims.Select(c => new ClaimCompletion(c, StoryStatus.Completed, null)));

        result.Succeeded.Should().Be(4);
        result.Lost.Should().BeEmpty();
        foreach (var runId in new[] { first[0].RunId, second[0].RunId })
        {
            (await StoriesOfRunAsync(runId)).Should().OnlyContain(s => s.Status == StoryStatus.Completed && s.ClaimedBy == null);
            (await LogOfRunAsync(runId)).Count(e => e.Kind == RunEventKinds.StoryCompleted).Should().Be(2);
        }
    }

    [SkippableFact]
    public async Task RenewManyAsync_OneClaimNamingAnotherRun_RenewsTheOthersAndReportsItMissing()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Ready);
        var claims = (await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 3, TimeSpan.FromMinutes(1))).ToList();
        var batch = new[] { claims[0], OfRun(claims[1], TestData.NewRunId()), claims[2] };

        var result = await Db.Claims.RenewManyAsync(batch, Lease);

        result.Succeeded.Should().Be(2);
        var lost = result.Lost.Should().ContainSingle().Which;
        lost.StoryId.Should().Be(claims[1].StoryId);
        lost.LostReason.Should().Be("the story no longer exists");
        var stored = (await StoriesOfRunAsync(stories[0].RunId)).ToDictionary(s => s.Id);
        stored[claims[0].StoryId].LeaseExpiresAt.Should().Be(Now + Lease);
        stored[claims[2].StoryId].LeaseExpiresAt.Should().Be(Now + Lease);
        stored[claims[1].StoryId].Version.Should().Be(claims[1].Version, "the claim naming another run changed nothing");
    }

    [SkippableFact]
    public async Task ReleaseManyAsync_ClaimsOfTwoRunsOneNamingTheWrongRun_ReleasesTheRest()
    {
        Fixture.SkipIfUnavailable();
        var first = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var second = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var a = (await Db.Claims.ClaimAsync(first.RunId, "worker-a", 1, Lease)).Single();
        var b = (await Db.Claims.ClaimAsync(second.RunId, "worker-a", 1, Lease)).Single();

        // b's story, but under a's run: no such row.
        var result = await Db.Claims.ReleaseManyAsync([a, OfRun(b, first.RunId)]);

        result.Outcomes.Select(o => o.Succeeded).Should().Equal(true, false);
        result.Lost.Single().LostReason.Should().Be("the story no longer exists");
        (await Db.Stories.GetAsync(first.Id))!.Status.Should().Be(StoryStatus.Ready);
        (await Db.Stories.GetAsync(second.Id))!.Should().BeEquivalentTo(new { Status = StoryStatus.InProgress, ClaimedBy = "worker-a", b.Version });
    }

    [SkippableFact]
    public async Task RenewManyAsync_ClaimNamingAnotherRunOfTheBatch_IsMissingThoughThatRunIsSearched()
    {
        Fixture.SkipIfUnavailable();
        var first = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var second = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var a = (await Db.Claims.ClaimAsync(first.RunId, "worker-a", 1, TimeSpan.FromMinutes(1))).Single();
        var held = await Db.Claims.ClaimAsync(second[0].RunId, "worker-a", 2, TimeSpan.FromMinutes(1));

        // The batch searches both runs; the second claim names the first run, where its story is not.
        var result = await Db.Claims.RenewManyAsync([a, OfRun(held[0], first.RunId), held[1]], Lease);

        result.Outcomes.Select(o => o.Succeeded).Should().Equal(true, false, true);
        result.Lost.Single().LostReason.Should().Be("the story no longer exists", "its story's row belongs to another run than the claim names");
        (await Db.Stories.GetAsync(held[0].StoryId))!.Should().BeEquivalentTo(new { held[0].Version, held[0].LeaseExpiresAt }, "nothing of it was changed");
        (await Db.Stories.GetAsync(held[1].StoryId))!.LeaseExpiresAt.Should().Be(Now + Lease);
    }

    /// <summary>The claim with its story's run replaced by <paramref name="runId"/> (a copy; the original is untouched).</summary>
    private static StoryClaim OfRun(StoryClaim claim, Guid runId)
    {
        var s = claim.Story;
        var story = new Story
        {
            Id = s.Id, RunId = runId, Position = s.Position, Title = s.Title, Body = s.Body, Status = s.Status, Version = s.Version,
            CreatedAt = s.CreatedAt, UpdatedAt = s.UpdatedAt, Metadata = s.Metadata, ClaimedBy = s.ClaimedBy, LeaseExpiresAt = s.LeaseExpiresAt,
        };
        return claim with { Story = story };
    }
}
