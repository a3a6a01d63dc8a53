using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Status changes outside a claim (<see cref="IStoryRepository.UpdateStatusAsync"/>, <see cref="ICardRepository.UpdateStatusAsync"/>):
/// only defined values are accepted, and no status change leaves a story that can never be claimed again. A story in
/// progress without a lease is claimable at once; one whose lease still runs keeps it; any other status ends the claim;
/// the holder of a claim whose story was changed loses it.
/// </summary>
public abstract class StatusUpdateContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected StatusUpdateContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableTheory]
    [InlineData(99)]
    [InlineData(-1)]
    [InlineData(6)]
    public async Task UpdateStatusAsync_UndefinedStoryStatus_ThrowsAndChangesNothing(short value)
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var before = await Db.Stories.GetAsync(story.Id);
        var (stories, log) = (await CountStoriesAsync(), await CountRunLogAsync());

        var update = () => Db.Stories.UpdateStatusAsync(story.Id, (StoryStatus)value, 1);

        await update.Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("status");
        (await Db.Stories.GetAsync(story.Id)).Should().BeEquivalentTo(before);
        (await CountStoriesAsync()).Should().Be(stories);
        (await CountRunLogAsync()).Should().Be(log, "nothing was sent, so no story.status entry was written");
        var progress = (await Db.GetRunProgressAsync(story.RunId)).Stories;
        progress.Keys.Should().OnlyContain(k => Enum.IsDefined(k));
        progress.Where(p => p.Value > 0).Select(p => (p.Key, p.Value)).Should().Equal((StoryStatus.Ready, 1L));
    }

    [SkippableTheory]
    [InlineData(99)]
    [InlineData(-1)]
    [InlineData(5)]
    public async Task UpdateStatusAsync_UndefinedCardStatus_ThrowsAndChangesNothing(short value)
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var card = TestData.Card(story, 0);
        await Db.Cards.AddRangeAsync([card]);
        var before = await Db.Cards.GetAsync(card.Id);
        var (cards, log) = (await CountCardsAsync(), await CountRunLogAsync());

        var update = () => Db.Cards.UpdateStatusAsync(card.Id, (CardStatus)value, 1);

        await update.Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("status");
        (await Db.Cards.GetAsync(card.Id)).Should().BeEquivalentTo(before);
        (await CountCardsAsync()).Should().Be(cards);
        (await CountRunLogAsync()).Should().Be(log);
        var progress = (await Db.GetRunProgressAsync(story.RunId)).Cards;
        progress.Keys.Should().OnlyContain(k => Enum.IsDefined(k));
        progress.Where(p => p.Value > 0).Select(p => (p.Key, p.Value)).Should().Equal((CardStatus.Pending, 1L));
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_UndefinedStatusInSessionOrJoin_ThrowsAndChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var card = TestData.Card(story, 0);
        await Db.Cards.AddRangeAsync([card]);
        var log = await CountRunLogAsync();

        await using (var session = await Db.BeginSessionAsync())
        {
            await FluentActions.Awaiting(() => session.Stories.UpdateStatusAsync(story.Id, (StoryStatus)99, 1))
                .Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("status");
            await FluentActions.Awaiting(() => session.Cards.UpdateStatusAsync(card.Id, (CardStatus)99, 1))
                .Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("status");
            await session.CommitAsync();
        }

        await using (var connection = await Fixture.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var joined = Db.Join(connection, transaction);
            await FluentActions.Awaiting(() => joined.Stories.UpdateStatusAsync(story.Id, (StoryStatus)99, 1))
                .Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("status");
            await FluentActions.Awaiting(() => joined.Cards.UpdateStatusAsync(card.Id, (CardStatus)99, 1))
                .Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("status");
            await transaction.CommitAsync();
        }

        (await Db.Stories.GetAsync(story.Id)).Should().BeEquivalentTo(new { Status = StoryStatus.Ready, Version = 1 });
        (await Db.Cards.GetAsync(card.Id)).Should().BeEquivalentTo(new { Status = CardStatus.Pending, Version = 1 });
        (await CountRunLogAsync()).Should().Be(log);
    }

    [SkippableFact]
    public async Task ClaimAsync_InProgressSetByUpdateStatus_ClaimsIt()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Pending, StoryStatus.Ready);
        await Db.Stories.UpdateStatusAsync(stories[0].Id, StoryStatus.InProgress, 1);

        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 10, Lease);

        claims.Select(c => c.StoryId).Should().Equal([stories[0].Id, stories[1].Id], "a story in progress without a lease is claimable, in position order");
        claims[0].Version.Should().Be(3);
        (await Db.Stories.GetAsync(stories[0].Id)).Should().BeEquivalentTo(new
        {
            Status = StoryStatus.InProgress, ClaimedBy = "worker-a", LeaseExpiresAt = (DateTimeOffset?)(Now + Lease), Version = 3,
        });
        await Db.Claims.CompleteAsync(claims[0], StoryStatus.Completed);
        (await Db.Stories.GetAsync(stories[0].Id))!.Status.Should().Be(StoryStatus.Completed);
    }

    [SkippableFact]
    public async Task ClaimAsync_StoryInsertedInProgress_ClaimsIt()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Completed, StoryStatus.InProgress);

        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 10, Lease);

        claims.Should().ContainSingle().Which.StoryId.Should().Be(stories[1].Id);
        (await Db.Stories.GetAsync(stories[1].Id)).Should().BeEquivalentTo(new { ClaimedBy = "worker-a", Version = 2 });
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_InProgressOnClaimedStory_KeepsTheLeaseUntilItExpires()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var held = (await Db.Claims.ClaimAsync(story.RunId, "worker-a", 1, Lease)).Single();

        var version = await Db.Stories.UpdateStatusAsync(story.Id, StoryStatus.InProgress, held.Version);

        version.Should().Be(held.Version + 1);
        (await Db.Stories.GetAsync(story.Id)).Should().BeEquivalentTo(new
        {
            Status = StoryStatus.InProgress, ClaimedBy = "worker-a", LeaseExpiresAt = (DateTimeOffset?)held.LeaseExpiresAt, Version = version,
        });
        (await Db.Claims.ClaimAsync(story.RunId, "worker-b", 1, Lease)).Should().BeEmpty("the lease still runs");

        await FluentActions.Awaiting(() => Db.Claims.CompleteAsync(held, StoryStatus.Completed))
            .Should().ThrowAsync<LeaseLostException>("the story changed since it was claimed");
        (await Db.Stories.GetAsync(story.Id))!.Version.Should().Be(version);

        Fixture.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        (await Db.Claims.ClaimAsync(story.RunId, "worker-b", 1, Lease)).Should().ContainSingle().Which.StoryId.Should().Be(story.Id);
    }

    [SkippableTheory]
    [InlineData(StoryStatus.Ready)]
    [InlineData(StoryStatus.Pending)]
    [InlineData(StoryStatus.Completed)]
    [InlineData(StoryStatus.Failed)]
    [InlineData(StoryStatus.Cancelled)]
    public async Task UpdateStatusAsync_OtherStatusOnClaimedStory_EndsTheClaimAndHolderLosesIt(StoryStatus status)
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var held = (await Db.Claims.ClaimAsync(story.RunId, "worker-a", 1, Lease)).Single();

        var version = await Db.Stories.UpdateStatusAsync(story.Id, status, held.Version);

        var after = await Db.Stories.GetAsync(story.Id);
        after.Should().BeEquivalentTo(new { Status = status, ClaimedBy = (string?)null, LeaseExpiresAt = (DateTimeOffset?)null, Version = version });
        var logged = (await LogOfRunAsync(story.RunId)).Count;

        var lost = await FluentActions.Awaiting(() => Db.Claims.CompleteAsync(held, StoryStatus.Completed)).Should().ThrowAsync<LeaseLostException>();
        lost.Which.StoryId.Should().Be(story.Id);
        await FluentActions.Awaiting(() => Db.Claims.RenewAsync(held, Lease)).Should().ThrowAsync<LeaseLostException>();
        await FluentActions.Awaiting(() => Db.Claims.ReleaseAsync(held)).Should().ThrowAsync<LeaseLostException>();
        (await Db.Stories.GetAsync(story.Id)).Should().BeEquivalentTo(after, "the holder never overwrites the change");
        (await LogOfRunAsync(story.RunId)).Should().HaveCount(logged);

        var next = await Db.Claims.ClaimAsync(story.RunId, "worker-b", 1, Lease);
        if (status == StoryStatus.Ready)
        {
            next.Should().ContainSingle().Which.StoryId.Should().Be(story.Id);
        }
        else
        {
            next.Should().BeEmpty();
        }
    }
}
