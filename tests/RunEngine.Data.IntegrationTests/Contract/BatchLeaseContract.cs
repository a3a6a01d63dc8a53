using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Batch lease transitions (<see cref="IStoryClaims.CompleteManyAsync"/>, <see cref="IStoryClaims.RenewManyAsync"/>,
/// <see cref="IStoryClaims.ReleaseManyAsync"/>), on the fixture's host clock: every claim checked as by the single
/// calls, a lost lease reported without throwing away the others, arguments rejected before anything is sent.
/// </summary>
public abstract class BatchLeaseContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    protected BatchLeaseContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task CompleteManyAsync_TenClaimsOneExpired_AppliesNineAndReportsTheExpiredOne()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(Enumerable.Repeat(StoryStatus.Ready, 10).ToArray());
        var runId = stories[0].RunId;
        var shortLived = (await Db.Claims.ClaimAsync(runId, "worker-a", 1, TimeSpan.FromMinutes(1))).Single();
        Fixture.Time.Advance(TimeSpan.FromSeconds(30));
        var others = await Db.Claims.ClaimAsync(runId, "worker-a", 9, Lease);
        Fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var claims = others.Prepend(shortLived).ToList();
        var logged = (await LogOfRunAsync(runId)).Count;

        var result = await Db.Claims.CompleteManyAsync(claims.Select(c => new ClaimCompletion(c, StoryStatus.Completed, "done")));

        result.Succeeded.Should().Be(9);
        result.Outcomes.Select(o => o.StoryId).Should().Equal(claims.Select(c => c.StoryId), "outcomes come in the order passed");
        var lost = result.Lost.Should().ContainSingle().Which;
        lost.StoryId.Should().Be(shortLived.StoryId);
        lost.Version.Should().BeNull();
        lost.LostReason.Should().Contain("expired");
        result.Outcomes.Where(o => o.Succeeded).Should().OnlyContain(o => o.Version == o.Claim.Version + 1);
        var stored = (await StoriesOfRunAsync(runId)).ToDictionary(s => s.Id);
        foreach (var claim in others)
        {
            stored[claim.StoryId].Should().BeEquivalentTo(new
            {
                Status = StoryStatus.Completed, Version = claim.Version + 1, ClaimedBy = (string?)null, LeaseExpiresAt = (DateTimeOffset?)null, UpdatedAt = Now,
            });
        }

        stored[shortLived.StoryId].Should().BeEquivalentTo(new { Status = StoryStatus.InProgress, shortLived.Version, ClaimedBy = "worker-a" });
        var entries = (await LogOfRunAsync(runId)).Skip(logged).ToList();
        entries.Should().HaveCount(9).And.OnlyContain(e => e.Kind == RunEventKinds.StoryCompleted && e.Message == "Completed: done" && e.Worker == "worker-a");
        entries.Select(e => e.StoryId).Should().BeEquivalentTo(others.Select(c => c.StoryId));
    }

    [SkippableFact]
    public async Task CompleteManyAsync_MixedResultsAndStaleClaim_EachCheckedAndLoggedLikeTheSingleCall()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Ready);
        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 3, Lease);
        var renewed = await Db.Claims.RenewAsync(claims[2], Lease);

        var result = await Db.Claims.CompleteManyAsync(
        [
            new ClaimCompletion(claims[0], StoryStatus.Completed),
            new ClaimCompletion(claims[1], StoryStatus.Failed, "boom"),
            new ClaimCompletion(claims[2], StoryStatus.Completed),
        ]);

        result.Succeeded.Should().Be(2);
        result.Lost.Should().ContainSingle().Which.LostReason.Should().Be($"the story's version is now {renewed.Version}, not {claims[2].Version}");
        (await Db.Stories.GetAsync(claims[1].StoryId))!.Status.Should().Be(StoryStatus.Failed);
        var messages = (await LogOfRunAsync(stories[0].RunId)).Where(e => e.Kind == RunEventKinds.StoryCompleted).Select(e => e.Message);
        messages.Should().BeEquivalentTo("Completed", "Failed: boom");
    }

    [SkippableFact]
    public async Task RenewManyAsync_HeldClaims_ExtendsEachAndReturnsTheNewClaims()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Ready);
        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 3, TimeSpan.FromMinutes(1));
        Fixture.Time.Advance(TimeSpan.FromSeconds(30));

        var result = await Db.Claims.RenewManyAsync(claims, Lease);

        result.Succeeded.Should().Be(3);
        result.Lost.Should().BeEmpty();
        foreach (var outcome in result.Outcomes)
        {
            var renewed = outcome.Renewed!;
            renewed.LeaseExpiresAt.Should().Be(Now + Lease);
            renewed.Version.Should().Be(outcome.Claim.Version + 1);
            outcome.Version.Should().Be(renewed.Version);
            (await Db.Stories.GetAsync(outcome.StoryId)).Should().BeEquivalentTo(new { LeaseExpiresAt = (DateTimeOffset?)(Now + Lease), renewed.Version, ClaimedBy = "worker-a" });
        }

        (await LogOfRunAsync(stories[0].RunId)).Where(e => e.Kind == RunEventKinds.LeaseRenewed).Should().HaveCount(3)
            .And.OnlyContain(e => e.Message == $"lease until {Now + Lease:O}");
        Fixture.Time.Advance(TimeSpan.FromMinutes(2));
        (await Db.Claims.ClaimAsync(stories[0].RunId, "worker-b", 3, Lease)).Should().BeEmpty("the renewed leases still hold");
        (await Db.Claims.CompleteManyAsync(result.Outcomes.Select(o => new ClaimCompletion(o.Renewed!, StoryStatus.Completed)))).Succeeded.Should().Be(3);
    }

    [SkippableFact]
    public async Task RenewManyAsync_LeaseTakenByAnotherWorker_ReportsItAndRenewsTheRest()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var first = (await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 1, TimeSpan.FromMinutes(1))).Single();
        Fixture.Time.Advance(TimeSpan.FromSeconds(30));
        var second = (await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 1, Lease)).Single();
        Fixture.Time.Advance(TimeSpan.FromMinutes(1));
        (await Db.Claims.ClaimAsync(stories[0].RunId, "worker-b", 1, Lease)).Single().StoryId.Should().Be(first.StoryId);

        var result = await Db.Claims.RenewManyAsync([first, second], Lease);

        result.Outcomes[0].LostReason.Should().Be("the story is now claimed by another worker");
        result.Outcomes[0].Renewed.Should().BeNull();
        result.Outcomes[1].Renewed!.LeaseExpiresAt.Should().Be(Now + Lease);
    }

    [SkippableFact]
    public async Task ReleaseManyAsync_HeldClaims_MakesThemClaimable()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Ready);
        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 3, Lease);

        var result = await Db.Claims.ReleaseManyAsync(claims);

        result.Succeeded.Should().Be(3);
        (await StoriesOfRunAsync(stories[0].RunId)).Should().OnlyContain(s => s.Status == StoryStatus.Ready && s.ClaimedBy == null && s.LeaseExpiresAt == null);
        (await LogOfRunAsync(stories[0].RunId)).Where(e => e.Kind == RunEventKinds.StoryReleased).Should().HaveCount(3).And.OnlyContain(e => e.Message == "released");
        var again = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-b", 3, Lease);
        again.Select(c => c.StoryId).Should().BeEquivalentTo(claims.Select(c => c.StoryId));
        (await Db.Claims.ReleaseManyAsync(claims)).Lost.Should().HaveCount(3).And.OnlyContain(o => o.LostReason == "the story is now claimed by another worker");
    }

    [SkippableFact]
    public async Task CompleteManyAsync_RacingASingleCompletion_ExactlyOneWins()
    {
        Fixture.SkipIfUnavailable();
        for (var round = 0; round < 5; round++)
        {
            var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Ready);
            var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 3, Lease);
            var contested = claims[1];

            var batch = Task.Run(() => Db.Claims.CompleteManyAsync(claims.Select(c => new ClaimCompletion(c, StoryStatus.Completed))));
            var single = Task.Run(async () =>
            {
                try
                {
                    await Db.Claims.CompleteAsync(contested, StoryStatus.Failed);
                    return true;
                }
                catch (LeaseLostException)
                {
                    return false;
                }
            });
            var result = await batch;
            var singleWon = await single;

            var batchWon = result.Outcomes[1].Succeeded;
            (batchWon ^ singleWon).Should().BeTrue($"exactly one completion of the contested story wins (round {round})");
            result.Succeeded.Should().Be(batchWon ? 3 : 2);
            var story = await Db.Stories.GetAsync(contested.StoryId);
            story!.Status.Should().Be(batchWon ? StoryStatus.Completed : StoryStatus.Failed);
            story.Version.Should().Be(contested.Version + 1);
            (await LogOfRunAsync(stories[0].RunId)).Count(e => e.Kind == RunEventKinds.StoryCompleted && e.StoryId == contested.StoryId).Should().Be(1);
        }
    }

    [SkippableFact]
    public async Task CompleteManyAsync_SameStoryTwice_RejectedBeforeSendingNamingThePosition()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 2, Lease);
        var before = await StoriesOfRunAsync(stories[0].RunId);
        var logged = (await LogOfRunAsync(stories[0].RunId)).Count;

        var complete = () => Db.Claims.CompleteManyAsync(
            [new ClaimCompletion(claims[0], StoryStatus.Completed), new ClaimCompletion(claims[1], StoryStatus.Completed), new ClaimCompletion(claims[0], StoryStatus.Failed)]);
        var renew = () => Db.Claims.RenewManyAsync([claims[1], claims[1]], Lease);
        var release = () => Db.Claims.ReleaseManyAsync([claims[0], claims[0]]);

        (await complete.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("completions[2]").And.Contain("position 0");
        (await renew.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("claims[1]");
        await release.Should().ThrowAsync<ArgumentException>();
        (await StoriesOfRunAsync(stories[0].RunId)).Should().BeEquivalentTo(before);
        (await LogOfRunAsync(stories[0].RunId)).Should().HaveCount(logged);
    }

    [SkippableFact]
    public async Task CompleteManyAsync_BadArguments_RejectedLikeTheSingleCallNamingThePosition()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 2, Lease);
        var good = new ClaimCompletion(claims[0], StoryStatus.Completed);

        var inProgress = () => Db.Claims.CompleteManyAsync([good, new ClaimCompletion(claims[1], StoryStatus.InProgress)]);
        var undefined = () => Db.Claims.CompleteManyAsync([good, new ClaimCompletion(claims[1], (StoryStatus)99)]);
        var nulMessage = () => Db.Claims.CompleteManyAsync([good, new ClaimCompletion(claims[1], StoryStatus.Completed, "a\0b")]);
        var longMessage = () => Db.Claims.CompleteManyAsync([good, new ClaimCompletion(claims[1], StoryStatus.Completed, new string('x', 3_990))]);
        var badWorker = () => Db.Claims.RenewManyAsync([claims[0], claims[1] with { WorkerId = " " }], Lease);
        var nullClaim = () => Db.Claims.ReleaseManyAsync([claims[0], null!]);
        var badLease = () => Db.Claims.RenewManyAsync(claims, TimeSpan.Zero);

        (await inProgress.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain("completions[1]");
        (await undefined.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain("completions[1]");
        (await nulMessage.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("completions[1]");
        (await longMessage.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain("completions[1]");
        (await badWorker.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("claims[1]");
        (await nullClaim.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("claims[1]");
        await badLease.Should().ThrowAsync<ArgumentOutOfRangeException>();
        (await StoriesOfRunAsync(stories[0].RunId)).Should().OnlyContain(s => s.Status == StoryStatus.InProgress && s.Version == 2);
    }

    [SkippableFact]
    public async Task BatchCalls_ZeroClaims_NoOpThatOpensNoConnection()
    {
        Fixture.SkipIfUnavailable();
        await using var connection = await Fixture.OpenConnectionAsync();
        await connection.CloseAsync();

        // A joined closed connection fails any operation that begins a scope: an empty batch begins none.
        var joined = Db.Join(connection);
        var completed = await joined.Claims.CompleteManyAsync([]);
        var renewed = await joined.Claims.RenewManyAsync([], Lease);
        var released = await joined.Claims.ReleaseManyAsync([]);

        new[] { completed, renewed, released }.Should().OnlyContain(r => r.Succeeded == 0 && r.Outcomes.Count == 0 && r.Lost.Count == 0);
        var story = TestData.Story(TestData.NewRunId(), 0, StoryStatus.InProgress);
        await FluentActions.Awaiting(() => joined.Claims.ReleaseManyAsync([new StoryClaim(story, "worker-a", Now + Lease)]))
            .Should().ThrowAsync<InvalidOperationException>("a batch with a claim does need the connection, which proves the empty one never asked");
    }

    [SkippableFact]
    public async Task BatchCalls_DatabaseClockWithHostFarAhead_RenewAndCompleteOnTheDatabaseTime()
    {
        Fixture.SkipIfUnavailable();
        // The host believes the leases expired years ago; the database's clock says they hold.
        await using var db = Fixture.CreateDatabase(o =>
        {
            o.LeaseClock = LeaseClock.Database;
            o.TimeProvider = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow().AddYears(10));
        });
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var claims = await db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 2, Lease);

        var renewed = await db.Claims.RenewManyAsync(claims, Lease);
        var completed = await db.Claims.CompleteManyAsync(renewed.Outcomes.Select(o => new ClaimCompletion(o.Renewed!, StoryStatus.Completed)));

        renewed.Succeeded.Should().Be(2);
        renewed.Outcomes.Should().OnlyContain(o => o.Renewed!.LeaseExpiresAt < TimeProvider.System.GetUtcNow().AddYears(1));
        completed.Succeeded.Should().Be(2);
        (await StoriesOfRunAsync(stories[0].RunId)).Should().OnlyContain(s => s.Status == StoryStatus.Completed && s.Version == 4);
    }

    [SkippableFact]
    public async Task CompleteManyAsync_MoreThanOneThousand_Rejected()
    {
        Fixture.SkipIfUnavailable();
        var story = TestData.Story(TestData.NewRunId(), 0, StoryStatus.InProgress);
        var completions = Enumerable.Range(0, 1_001).Select(_ =>
        {
            var copy = TestData.Story(story.RunId, 0, StoryStatus.InProgress);
            return new ClaimCompletion(new StoryClaim(copy, "worker-a", Now + Lease), StoryStatus.Completed);
        });

        await FluentActions.Awaiting(() => Db.Claims.CompleteManyAsync(completions)).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }
}
