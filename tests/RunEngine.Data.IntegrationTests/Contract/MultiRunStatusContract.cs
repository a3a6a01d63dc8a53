using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Calls whose rows lie in more than one run: the id-only <c>UpdateStatusesAsync(changes)</c> and
/// <c>Cards.UpdateStatusByStoryAsync(storyIds, …)</c>, <c>Stories.UpdateStatusByRunAsync(runIds, …)</c> and the batch
/// lease transitions. Every provider gives the result of one statement over all the rows: counts summed, conflicts and
/// missing ids in id order, all or nothing over the whole batch, lease outcomes per claim in the order passed. On a
/// database distributed by run (Citus, which takes row locks in single-shard statements only) PostgreSQL sends them one
/// run at a time in one transaction; on the run-keyed layout (plain PostgreSQL, distributed mode) the same path runs.
/// </summary>
public abstract class MultiRunStatusContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly CardStatus[] Unfinished = [CardStatus.Pending, CardStatus.InProgress];
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected MultiRunStatusContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_IdOnlyCardsOfTwoRuns_AppliesInBothWithVersionsAndLogEntries()
    {
        Fixture.SkipIfUnavailable();
        var (first, firstCards) = await SeedCardsAsync(3);
        var (second, secondCards) = await SeedCardsAsync(3);
        var cards = firstCards.Concat(secondCards).ToList();

        // Interleaved, so that neither the order passed nor the id order groups the runs.
        var result = await Db.Cards.UpdateStatusesAsync(
            cards.OrderBy(c => c.Position).ThenBy(c => c.RunId).Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.Completed)));

        result.Changed.Should().Be(6);
        result.AllApplied.Should().BeTrue();
        foreach (var story in new[] { first, second })
        {
            (await CardsOfRunAsync(story.RunId)).Should().HaveCount(3).And.OnlyContain(c => c.Status == CardStatus.Completed && c.Version == 2 && c.UpdatedAt == Now);
            var entries = (await LogOfRunAsync(story.RunId)).Where(e => e.Kind == RunEventKinds.CardStatusChanged).ToList();
            entries.Should().HaveCount(3).And.OnlyContain(e => e.RunId == story.RunId && e.StoryId == story.Id && e.Message == "status set to Completed (version 2)");
        }

        var all = (await LogOfRunAsync(first.RunId)).Concat(await LogOfRunAsync(second.RunId)).Where(e => e.Kind == RunEventKinds.CardStatusChanged);
        all.Select(e => e.Id).Should().OnlyHaveUniqueItems();
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_IdOnlyApplyWhatMatchesConflictInEachRun_ReportsThemInIdOrderAndAppliesTheRest()
    {
        Fixture.SkipIfUnavailable();
        var (first, firstCards) = await SeedCardsAsync(3);
        var (second, secondCards) = await SeedCardsAsync(3);
        await Db.Cards.UpdateStatusAsync(firstCards[1].Id, CardStatus.InProgress, 1);
        await Db.Cards.UpdateStatusAsync(secondCards[2].Id, CardStatus.InProgress, 1);
        var missing = new[] { Guid.CreateVersion7(), Guid.CreateVersion7() };
        var changes = firstCards.Concat(secondCards).Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.Completed))
            .Concat(missing.Select(id => new StatusChange<CardStatus>(id, 1, CardStatus.Completed)));

        var result = await Db.Cards.UpdateStatusesAsync(changes, StatusChangeOptions.ApplyWhatMatches);

        result.Changed.Should().Be(4);
        result.Conflicts.Should().Equal(
            new[] { new StatusConflict(firstCards[1].Id, 1, 2), new StatusConflict(secondCards[2].Id, 1, 2) }.OrderBy(c => c.Id));
        result.Missing.Should().Equal(missing.Order());
        var stored = (await CardsOfRunAsync(first.RunId)).Concat(await CardsOfRunAsync(second.RunId)).ToDictionary(c => c.Id);
        stored[firstCards[1].Id].Should().BeEquivalentTo(new { Status = CardStatus.InProgress, Version = 2 });
        stored[secondCards[2].Id].Should().BeEquivalentTo(new { Status = CardStatus.InProgress, Version = 2 });
        stored.Values.Where(c => c.Id != firstCards[1].Id && c.Id != secondCards[2].Id)
            .Should().HaveCount(4).And.OnlyContain(c => c.Status == CardStatus.Completed && c.Version == 2);
        (await LogOfRunAsync(first.RunId)).Count(e => e.Kind == RunEventKinds.CardStatusChanged).Should().Be(3, "the single change and two applied");
        (await LogOfRunAsync(second.RunId)).Count(e => e.Kind == RunEventKinds.CardStatusChanged).Should().Be(3);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_IdOnlyAllOrNothingConflictInOneRun_LeavesBothRunsUnchanged()
    {
        Fixture.SkipIfUnavailable();
        var (first, firstCards) = await SeedCardsAsync(2);
        var (second, secondCards) = await SeedCardsAsync(2);
        await Db.Cards.UpdateStatusAsync(secondCards[1].Id, CardStatus.InProgress, 1);
        var before = (await CardsOfRunAsync(first.RunId)).Concat(await CardsOfRunAsync(second.RunId)).ToList();
        var log = await CountRunLogAsync();
        var changes = firstCards.Concat(secondCards).Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.Completed));

        var act = () => Db.Cards.UpdateStatusesAsync(changes);

        var error = (await act.Should().ThrowAsync<StatusChangeConflictException>()).Which;
        error.Conflicts.Should().Equal(new StatusConflict(secondCards[1].Id, 1, 2));
        error.Missing.Should().BeEmpty();
        (await CardsOfRunAsync(first.RunId)).Concat(await CardsOfRunAsync(second.RunId)).Should().BeEquivalentTo(before, "nothing of either run changes");
        (await CountRunLogAsync()).Should().Be(log);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_IdOnlyStoriesOfTwoRuns_AppliesBothAndReportsAConflictOfEach()
    {
        Fixture.SkipIfUnavailable();
        var first = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var second = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        StatusChange<StoryStatus>[] changes =
        [
            new(first[0].Id, first[0].Version, StoryStatus.Cancelled),
            new(second[0].Id, second[0].Version, StoryStatus.Cancelled),
            new(first[1].Id, first[1].Version + 1, StoryStatus.Cancelled),
            new(second[1].Id, second[1].Version + 2, StoryStatus.Cancelled),
        ];

        var result = await Db.Stories.UpdateStatusesAsync(changes, StatusChangeOptions.ApplyWhatMatches);

        result.Changed.Should().Be(2);
        result.Conflicts.Should().Equal(
            new[] { new StatusConflict(first[1].Id, first[1].Version + 1, first[1].Version), new StatusConflict(second[1].Id, second[1].Version + 2, second[1].Version) }
                .OrderBy(c => c.Id));
        (await Db.Stories.GetAsync(first[0].Id))!.Should().BeEquivalentTo(new { Status = StoryStatus.Cancelled, Version = first[0].Version + 1 });
        (await Db.Stories.GetAsync(second[0].Id))!.Should().BeEquivalentTo(new { Status = StoryStatus.Cancelled, Version = second[0].Version + 1 });
        (await Db.Stories.GetAsync(first[1].Id))!.Status.Should().Be(StoryStatus.Ready);
        (await LogOfRunAsync(second[0].RunId)).Where(e => e.Kind == RunEventKinds.StoryStatusChanged).Should().ContainSingle().Which.StoryId.Should().Be(second[0].Id);
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_IdOnlyStoriesOfTwoRuns_ChangesTheCardsOfBothAndCountsThemAll()
    {
        Fixture.SkipIfUnavailable();
        var (first, firstCards) = await SeedCardsAsync(3);
        var (second, _) = await SeedCardsAsync(2);
        await Db.Cards.UpdateStatusAsync(firstCards[0].Id, CardStatus.Completed, 1);
        var log = await CountRunLogAsync();

        var changed = await Db.Cards.UpdateStatusByStoryAsync([second.Id, first.Id, Guid.CreateVersion7()], Unfinished, CardStatus.Cancelled);

        changed.Should().Be(4, "two of the first story (one is Completed), two of the second; an unknown story has none");
        (await CardsOfRunAsync(first.RunId)).Select(c => (c.Status, c.Version)).Should().Equal(
            (CardStatus.Completed, 2), (CardStatus.Cancelled, 2), (CardStatus.Cancelled, 2));
        (await CardsOfRunAsync(second.RunId)).Should().OnlyContain(c => c.Status == CardStatus.Cancelled && c.Version == 2);
        (await CountRunLogAsync()).Should().Be(log + 4);
        var entries = (await LogOfRunAsync(first.RunId)).Concat(await LogOfRunAsync(second.RunId)).Where(e => e.Kind == RunEventKinds.CardStatusChanged && e.Message!.StartsWith("status set to Cancelled", StringComparison.Ordinal)).ToList();
        entries.Should().HaveCount(4).And.OnlyContain(e => e.Message == "status set to Cancelled (version 2)" && e.OccurredAt == Now);
        entries.Select(e => e.Id).Should().OnlyHaveUniqueItems("the entries of one call keep distinct ids across its runs");
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_IdOnlyTwoRunsInSessionRolledBack_ChangesNothingOfEither()
    {
        Fixture.SkipIfUnavailable();
        var (first, _) = await SeedCardsAsync(2);
        var (second, _) = await SeedCardsAsync(2);
        var log = await CountRunLogAsync();

        await using (var session = await Db.BeginSessionAsync())
        {
            (await session.Cards.UpdateStatusByStoryAsync([first.Id, second.Id], Unfinished, CardStatus.Cancelled)).Should().Be(4);
            await session.RollbackAsync();
        }

        (await CardsOfRunAsync(first.RunId)).Concat(await CardsOfRunAsync(second.RunId)).Should().OnlyContain(c => c.Status == CardStatus.Pending && c.Version == 1);
        (await CountRunLogAsync()).Should().Be(log);
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_IdOnlyTwoRunsRepeatAfterApplied_GivesTheFirstCountOrGivesUpButNeverAWrongOne()
    {
        Fixture.SkipIfUnavailable();
        var (first, _) = await SeedCardsAsync(2);
        var (second, _) = await SeedCardsAsync(3);
        var change = new ParentStatusChange([.. new[] { first.Id, second.Id }.Order()], [(short)CardStatus.Pending], (short)CardStatus.Cancelled, null, "status set to Cancelled (version ", Now);

        await ByParentRepeat.AssertRepeatReturnsFirstCountAsync(Db.Set.CardStatusByStory, Db.Scopes, change, 5);

        (await CardsOfRunAsync(first.RunId)).Concat(await CardsOfRunAsync(second.RunId)).Should().OnlyContain(c => c.Status == CardStatus.Cancelled && c.Version == 2);
    }

    [SkippableFact]
    public async Task UpdateStatusByRunAsync_TwoRuns_ChangesTheStoriesOfBothAndCountsThemAll()
    {
        Fixture.SkipIfUnavailable();
        var first = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Completed, StoryStatus.Ready);
        var second = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var untouched = await SeedStoriesAsync(StoryStatus.Ready);

        var changed = await Db.Stories.UpdateStatusByRunAsync([second[0].RunId, first[0].RunId], [StoryStatus.Ready], StoryStatus.Cancelled);

        changed.Should().Be(4);
        (await StoriesOfRunAsync(first[0].RunId)).Select(s => s.Status).Should().Equal(StoryStatus.Cancelled, StoryStatus.Completed, StoryStatus.Cancelled);
        (await StoriesOfRunAsync(second[0].RunId)).Should().OnlyContain(s => s.Status == StoryStatus.Cancelled && s.Version == 2);
        (await StoriesOfRunAsync(untouched[0].RunId)).Should().OnlyContain(s => s.Status == StoryStatus.Ready && s.Version == 1);
        var entries = (await LogOfRunAsync(first[0].RunId)).Concat(await LogOfRunAsync(second[0].RunId)).Where(e => e.Kind == RunEventKinds.StoryStatusChanged).ToList();
        entries.Should().HaveCount(4);
        entries.Select(e => e.Id).Should().OnlyHaveUniqueItems();
    }

    [SkippableFact]
    public async Task CompleteManyAsync_ClaimsOfTwoRunsOneLostInEach_AppliesTheRestAndReportsEachInOrder()
    {
        Fixture.SkipIfUnavailable();
        var (firstClaims, secondClaims) = await ClaimTwoRunsAsync(3);
        // A stale claim in each run: its story was renewed since, so its version moved on.
        var firstRenewed = await Db.Claims.RenewAsync(firstClaims[1], Lease);
        var secondRenewed = await Db.Claims.RenewAsync(secondClaims[0], Lease);
        var claims = new[] { secondClaims[0], firstClaims[0], secondClaims[1], firstClaims[1], firstClaims[2], secondClaims[2] };

        var result = await Db.Claims.CompleteManyAsync(claims.Select(c => new ClaimCompletion(c, StoryStatus.Completed, "done")));

        result.Outcomes.Select(o => o.StoryId).Should().Equal(claims.Select(c => c.StoryId), "outcomes come in the order passed");
        result.Succeeded.Should().Be(4);
        result.Lost.Select(o => o.StoryId).Should().Equal(secondClaims[0].StoryId, firstClaims[1].StoryId);
        result.Lost[0].LostReason.Should().Be($"the story's version is now {secondRenewed.Version}, not {secondClaims[0].Version}");
        result.Lost[1].LostReason.Should().Be($"the story's version is now {firstRenewed.Version}, not {firstClaims[1].Version}");
        result.Outcomes.Where(o => o.Succeeded).Should().OnlyContain(o => o.Version == o.Claim.Version + 1);
        foreach (var claim in new[] { firstClaims[0], firstClaims[2], secondClaims[1], secondClaims[2] })
        {
            (await Db.Stories.GetAsync(claim.StoryId))!.Should().BeEquivalentTo(new { Status = StoryStatus.Completed, Version = claim.Version + 1, ClaimedBy = (string?)null });
        }

        (await Db.Stories.GetAsync(firstClaims[1].StoryId))!.Status.Should().Be(StoryStatus.InProgress);
        foreach (var (runId, applied) in new[] { (firstClaims[0].Story.RunId, new[] { firstClaims[0], firstClaims[2] }), (secondClaims[0].Story.RunId, new[] { secondClaims[1], secondClaims[2] }) })
        {
            var completed = (await LogOfRunAsync(runId)).Where(e => e.Kind == RunEventKinds.StoryCompleted).ToList();
            completed.Select(e => e.StoryId).Should().Equal(applied.Select(c => (Guid?)c.StoryId), "each run's entries in the order passed");
            completed.Should().OnlyContain(e => e.Message == "Completed: done" && e.Worker == "worker-a");
        }
    }

    [SkippableFact]
    public async Task RenewManyAsync_ClaimsOfTwoRunsOneLostInEach_RenewsTheRestAndReportsEachInOrder()
    {
        Fixture.SkipIfUnavailable();
        var (firstClaims, secondClaims) = await ClaimTwoRunsAsync(2);
        await Db.Claims.RenewAsync(firstClaims[0], Lease);
        await Db.Claims.RenewAsync(secondClaims[1], Lease);
        Fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var claims = new[] { firstClaims[0], secondClaims[0], firstClaims[1], secondClaims[1] };

        var result = await Db.Claims.RenewManyAsync(claims, Lease);

        result.Outcomes.Select(o => o.StoryId).Should().Equal(claims.Select(c => c.StoryId));
        result.Outcomes.Select(o => o.Succeeded).Should().Equal(false, true, true, false);
        foreach (var renewed in result.Outcomes.Where(o => o.Succeeded).Select(o => o.Renewed!))
        {
            renewed.LeaseExpiresAt.Should().Be(Now + Lease);
            (await Db.Stories.GetAsync(renewed.StoryId))!.Should().BeEquivalentTo(new { renewed.Version, LeaseExpiresAt = (DateTimeOffset?)renewed.LeaseExpiresAt });
        }

        (await LogOfRunAsync(firstClaims[0].Story.RunId)).Where(e => e.Kind == RunEventKinds.LeaseRenewed).Select(e => e.StoryId)
            .Should().Equal(firstClaims[0].StoryId, firstClaims[1].StoryId);
        (await LogOfRunAsync(secondClaims[0].Story.RunId)).Where(e => e.Kind == RunEventKinds.LeaseRenewed).Select(e => e.StoryId)
            .Should().Equal(secondClaims[1].StoryId, secondClaims[0].StoryId);
    }

    /// <summary>Two runs of <paramref name="count"/> Ready stories each, all claimed by worker-a (in position order).</summary>
    private async Task<(StoryClaim[] First, StoryClaim[] Second)> ClaimTwoRunsAsync(int count)
    {
        var first = await SeedStoriesAsync(Enumerable.Repeat(StoryStatus.Ready, count).ToArray());
        var second = await SeedStoriesAsync(Enumerable.Repeat(StoryStatus.Ready, count).ToArray());
        var firstClaims = (await Db.Claims.ClaimAsync(first[0].RunId, "worker-a", count, Lease)).ToArray();
        var secondClaims = (await Db.Claims.ClaimAsync(second[0].RunId, "worker-a", count, Lease)).ToArray();
        firstClaims.Should().HaveCount(count);
        secondClaims.Should().HaveCount(count);
        return (firstClaims, secondClaims);
    }

    /// <summary>Writes one story of a new run with <paramref name="count"/> pending cards.</summary>
    private async Task<(Story Story, List<Card> Cards)> SeedCardsAsync(int count)
    {
        var story = TestData.Story(TestData.NewRunId(), 0);
        var cards = Enumerable.Range(0, count).Select(i => TestData.Card(story, i)).ToList();
        await Db.WriteCycleAsync([story], cards);
        return (story, cards);
    }
}
