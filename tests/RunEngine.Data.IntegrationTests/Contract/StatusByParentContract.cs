using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Status changes by parent (<see cref="ICardRepository.UpdateStatusByStoryAsync"/>, <see cref="IStoryRepository.UpdateStatusByRunAsync"/>):
/// only rows of the named parents in the named statuses change, each with version + 1 and one run-log entry; the count
/// is returned; other parents' rows are untouched; bad arguments are rejected before anything is sent; zero parents
/// open no connection; 10,000 parents in one call; a session's rollback undoes it.
/// </summary>
public abstract class StatusByParentContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly CardStatus[] Unfinished = [CardStatus.Pending, CardStatus.InProgress];
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected StatusByParentContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_MixedStatuses_ChangesOnlyMatchingCardsOfTheStoriesWithVersionAndLog()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 3).ToList();
        var cards = TestData.Cards(stories, 4);
        await Db.WriteCycleAsync(stories, cards);
        var ofStory0 = cards.Where(c => c.StoryId == stories[0].Id).ToList();
        var ofStory1 = cards.Where(c => c.StoryId == stories[1].Id).ToList();
        await Db.Cards.UpdateStatusAsync(ofStory0[1].Id, CardStatus.InProgress, 1);
        await Db.Cards.UpdateStatusAsync(ofStory0[2].Id, CardStatus.Completed, 1);
        await Db.Cards.UpdateStatusAsync(ofStory1[3].Id, CardStatus.Failed, 1);
        var before = (await CardsOfRunAsync(runId)).ToDictionary(c => c.Id);
        var log = await CountRunLogAsync();

        var changed = await Db.Cards.UpdateStatusByStoryAsync([stories[0].Id, stories[1].Id, stories[0].Id], Unfinished, CardStatus.Cancelled);

        // Story 0: 0 (Pending), 1 (InProgress), 3 (Pending); story 1: 0, 1, 2 (Pending). Story 2 is not named.
        var expected = new[] { ofStory0[0], ofStory0[1], ofStory0[3], ofStory1[0], ofStory1[1], ofStory1[2] }.Select(c => c.Id).ToHashSet();
        changed.Should().Be(6);
        var after = await CardsOfRunAsync(runId);
        foreach (var card in after)
        {
            if (expected.Contains(card.Id))
            {
                card.Should().BeEquivalentTo(new { Status = CardStatus.Cancelled, Version = before[card.Id].Version + 1, UpdatedAt = Now });
            }
            else
            {
                card.Should().BeEquivalentTo(before[card.Id], "a card of another story or in another status is untouched");
            }
        }

        (await CountRunLogAsync()).Should().Be(log + 6);
        var entries = (await LogOfRunAsync(runId)).TakeLast(6).ToList();
        entries.Select(e => e.CardId!.Value).Should().BeEquivalentTo(expected);
        entries.Should().OnlyContain(e => e.Kind == RunEventKinds.CardStatusChanged && e.RunId == runId && e.Worker == null && e.OccurredAt == Now);
        entries.Should().OnlyContain(e => e.StoryId == cards.Single(c => c.Id == e.CardId).StoryId);
        entries.Single(e => e.CardId == ofStory0[1].Id).Message.Should().Be("status set to Cancelled (version 3)", "the single-row call's message");
        entries.Single(e => e.CardId == ofStory1[0].Id).Message.Should().Be("status set to Cancelled (version 2)");
        entries.Select(e => e.Id).Should().OnlyHaveUniqueItems();
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_WithMessageAndToInFrom_WritesTheMessageAndCountsEveryMatch()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(3);
        await Db.Cards.UpdateStatusAsync(cards[0].Id, CardStatus.Cancelled, 1);

        var changed = await Db.Cards.UpdateStatusByStoryAsync([story.Id], [CardStatus.Pending, CardStatus.Cancelled], CardStatus.Cancelled, "run cancelled by the test");

        changed.Should().Be(3);
        (await CardsOfRunAsync(story.RunId)).Select(c => (c.Status, c.Version)).Should().Equal((CardStatus.Cancelled, 3), (CardStatus.Cancelled, 2), (CardStatus.Cancelled, 2));
        (await LogOfRunAsync(story.RunId)).TakeLast(3).Should().OnlyContain(e => e.Message == "run cancelled by the test");
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_NothingMatches_ReturnsZeroAndWritesNothing()
    {
        Fixture.SkipIfUnavailable();
        var (story, _) = await SeedCardsAsync(2);
        var log = await CountRunLogAsync();

        var changed = await Db.Cards.UpdateStatusByStoryAsync([story.Id, Guid.CreateVersion7()], [CardStatus.Failed], CardStatus.Cancelled);

        changed.Should().Be(0);
        await AssertUnchangedAsync(story.RunId, log);
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_BadArguments_RejectedAndNothingChanged()
    {
        Fixture.SkipIfUnavailable();
        var (story, _) = await SeedCardsAsync(2);
        var log = await CountRunLogAsync();

        (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusByStoryAsync([story.Id], Unfinished, (CardStatus)99))
            .Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("status");
        (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusByStoryAsync([story.Id], [CardStatus.Pending, (CardStatus)(-3)], CardStatus.Cancelled))
            .Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("from");
        (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusByStoryAsync([story.Id], Array.Empty<CardStatus>(), CardStatus.Cancelled))
            .Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("from");
        (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusByStoryAsync([story.Id, Guid.Empty], Unfinished, CardStatus.Cancelled))
            .Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("storyIds");
        (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusByStoryAsync([story.Id], Unfinished, CardStatus.Cancelled, new string('x', RunEngineLimits.EventMessageMaxLength + 1)))
            .Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("message");
        (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusByStoryAsync([story.Id], Unfinished, CardStatus.Cancelled, "bad\0message"))
            .Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("message");
        (await FluentActions.Awaiting(() => Db.Stories.UpdateStatusByRunAsync([story.RunId], [(StoryStatus)42], StoryStatus.Cancelled))
            .Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("from");
        await AssertUnchangedAsync(story.RunId, log);
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_ZeroStories_OpensNoConnection()
    {
        Fixture.SkipIfUnavailable();
        await using var connection = await Fixture.OpenConnectionAsync();
        await connection.CloseAsync();

        // A joined closed connection fails any operation that begins a scope ("must be open"): zero parents begin none.
        var joined = Db.Join(connection);
        (await joined.Cards.UpdateStatusByStoryAsync([], Unfinished, CardStatus.Cancelled)).Should().Be(0);
        (await joined.Stories.UpdateStatusByRunAsync([], [StoryStatus.Ready], StoryStatus.Cancelled)).Should().Be(0);
        await FluentActions.Awaiting(() => joined.Cards.UpdateStatusByStoryAsync([Guid.CreateVersion7()], Unfinished, CardStatus.Cancelled))
            .Should().ThrowAsync<InvalidOperationException>("a call with a story does need the connection, which proves the empty one never asked");
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_TenThousandStories_AllTheirCardsInOneCall()
    {
        Fixture.SkipIfUnavailable();
        const int Stories = 10_000;
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, Stories).ToList();
        var cards = TestData.Cards(stories, 2);
        await Db.WriteCycleAsync(stories, cards);
        var log = await CountRunLogAsync();

        var changed = await Db.Cards.UpdateStatusByStoryAsync(stories.Select(s => s.Id), Unfinished, CardStatus.Cancelled);

        changed.Should().Be(2 * Stories);
        var progress = await Db.GetRunProgressAsync(runId);
        progress.Cards.Where(p => p.Value > 0).Select(p => (p.Key, p.Value)).Should().Equal((CardStatus.Cancelled, 2L * Stories));
        (await CountRunLogAsync()).Should().Be(log + (2 * Stories));
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_InSessionRolledBack_ChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        var (story, _) = await SeedCardsAsync(3);
        var log = await CountRunLogAsync();

        await using (var session = await Db.BeginSessionAsync())
        {
            (await session.Cards.UpdateStatusByStoryAsync([story.Id], Unfinished, CardStatus.Cancelled)).Should().Be(3);
            await session.RollbackAsync();
        }

        await AssertUnchangedAsync(story.RunId, log);
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_InJoinedTransaction_CommitsWithIt()
    {
        Fixture.SkipIfUnavailable();
        var (story, _) = await SeedCardsAsync(2);

        await using (var connection = await Fixture.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            (await Db.Join(connection, transaction).Cards.UpdateStatusByStoryAsync([story.Id], Unfinished, CardStatus.Cancelled)).Should().Be(2);
            await transaction.CommitAsync();
        }

        (await CardsOfRunAsync(story.RunId)).Should().OnlyContain(c => c.Status == CardStatus.Cancelled && c.Version == 2);
    }

    [SkippableFact]
    public async Task UpdateStatusByRunAsync_ReadyAndClaimed_ChangesOnlyMatchingStoriesAndEndsTheirClaims()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Completed, StoryStatus.Pending);
        var other = await SeedStoriesAsync(StoryStatus.Ready);
        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 1, Lease);
        claims.Should().ContainSingle();
        var claimed = claims[0];
        var log = await CountRunLogAsync();

        var changed = await Db.Stories.UpdateStatusByRunAsync([stories[0].RunId], [StoryStatus.Ready, StoryStatus.InProgress, StoryStatus.Pending], StoryStatus.Cancelled);

        changed.Should().Be(3);
        var after = (await StoriesOfRunAsync(stories[0].RunId)).ToDictionary(s => s.Id);
        after.Values.Where(s => s.Id != stories[2].Id).Should().OnlyContain(s => s.Status == StoryStatus.Cancelled && s.ClaimedBy == null && s.LeaseExpiresAt == null);
        after[claimed.StoryId].Version.Should().Be(claimed.Version + 1);
        after[stories[2].Id].Should().BeEquivalentTo(new { Status = StoryStatus.Completed, Version = 1 });
        (await Db.Stories.GetAsync(other[0].Id)).Should().BeEquivalentTo(new { Status = StoryStatus.Ready, Version = 1 }, "a story of another run is untouched");
        (await CountRunLogAsync()).Should().Be(log + 3);
        (await LogOfRunAsync(stories[0].RunId)).TakeLast(3).Should().OnlyContain(e => e.Kind == RunEventKinds.StoryStatusChanged && e.CardId == null && e.StoryId != stories[2].Id);
        await FluentActions.Awaiting(() => Db.Claims.RenewAsync(claimed, Lease)).Should().ThrowAsync<LeaseLostException>("the claim ended");
    }

    /// <summary>A story of a new run with <paramref name="count"/> cards.</summary>
    protected async Task<(Story Story, List<Card> Cards)> SeedCardsAsync(int count)
    {
        var story = TestData.Story(TestData.NewRunId(), 0);
        var cards = Enumerable.Range(0, count).Select(i => TestData.Card(story, i)).ToList();
        await Db.WriteCycleAsync([story], cards);
        return (story, cards);
    }

    /// <summary>Every card of the run is still pending at version 1, and the run log has <paramref name="log"/> entries.</summary>
    protected async Task AssertUnchangedAsync(Guid runId, long log)
    {
        (await CardsOfRunAsync(runId)).Should().OnlyContain(c => c.Status == CardStatus.Pending && c.Version == 1);
        (await CountRunLogAsync()).Should().Be(log);
    }
}
