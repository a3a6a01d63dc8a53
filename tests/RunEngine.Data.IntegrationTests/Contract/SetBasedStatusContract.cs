using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Set-based status changes (<see cref="IStoryRepository.UpdateStatusesAsync(IEnumerable{StatusChange{StoryStatus}}, StatusChangeOptions?, CancellationToken)"/>,
/// <see cref="ICardRepository.UpdateStatusesAsync(IEnumerable{StatusChange{CardStatus}}, StatusChangeOptions?, CancellationToken)"/>):
/// versions + 1 and one run-log entry per applied change, exact conflict and missing lists in both modes, bad changes
/// rejected with position and field, nothing changed by a failed, cancelled or unmatched all-or-nothing batch, no
/// connection for an empty batch, any size in one call, and overlapping concurrent batches that neither deadlock nor
/// apply a change twice.
/// </summary>
public abstract class SetBasedStatusContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected SetBasedStatusContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_Cards_AppliesEachWithVersionPlusOneAndOneLogEntry()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(5);
        var changes = cards.Select((c, i) => new StatusChange<CardStatus>(c.Id, 1, i % 2 == 0 ? CardStatus.InProgress : CardStatus.Completed)).ToList();
        changes[4] = changes[4] with { Message = "done by the test" };

        var result = await Db.Cards.UpdateStatusesAsync(changes);

        result.Changed.Should().Be(5);
        result.Conflicts.Should().BeEmpty();
        result.Missing.Should().BeEmpty();
        result.AllApplied.Should().BeTrue();
        var stored = await CardsOfRunAsync(story.RunId);
        stored.Select(c => (c.Id, c.Status, c.Version)).Should().Equal(changes.Select(c => (c.Id, c.Status, 2)));
        stored.Should().OnlyContain(c => c.UpdatedAt == Now);
        var log = (await LogOfRunAsync(story.RunId)).Where(e => e.Kind == RunEventKinds.CardStatusChanged).ToList();
        log.Should().HaveCount(5);
        log.Select(e => e.CardId).Should().BeEquivalentTo(cards.Select(c => (Guid?)c.Id));
        log.Should().OnlyContain(e => e.StoryId == story.Id && e.RunId == story.RunId && e.Worker == null && e.OccurredAt == Now);
        log.Single(e => e.CardId == cards[0].Id).Message.Should().Be("status set to InProgress (version 2)", "the single-row call's message");
        log.Single(e => e.CardId == cards[4].Id).Message.Should().Be("done by the test");
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_StoriesFromAsyncSource_KeepsTheLeaseOnlyForInProgress()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Pending);
        var claims = await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 2, Lease);
        claims.Should().HaveCount(2);
        var changes = new[]
        {
            new StatusChange<StoryStatus>(stories[0].Id, claims.Single(c => c.StoryId == stories[0].Id).Version, StoryStatus.InProgress),
            new StatusChange<StoryStatus>(stories[1].Id, claims.Single(c => c.StoryId == stories[1].Id).Version, StoryStatus.Failed),
            new StatusChange<StoryStatus>(stories[2].Id, 1, StoryStatus.Ready),
        };

        var result = await Db.Stories.UpdateStatusesAsync(TestData.ToAsync(changes));

        result.Changed.Should().Be(3);
        (await Db.Stories.GetAsync(stories[0].Id)).Should().BeEquivalentTo(new
        {
            Status = StoryStatus.InProgress, ClaimedBy = "worker-a", LeaseExpiresAt = (DateTimeOffset?)(Now + Lease), Version = 3,
        });
        (await Db.Stories.GetAsync(stories[1].Id)).Should().BeEquivalentTo(new
        {
            Status = StoryStatus.Failed, ClaimedBy = (string?)null, LeaseExpiresAt = (DateTimeOffset?)null, Version = 3,
        });
        (await Db.Stories.GetAsync(stories[2].Id)).Should().BeEquivalentTo(new { Status = StoryStatus.Ready, Version = 2 });
        var log = (await LogOfRunAsync(stories[0].RunId)).Where(e => e.Kind == RunEventKinds.StoryStatusChanged).ToList();
        log.Select(e => e.StoryId).Should().BeEquivalentTo(stories.Select(s => (Guid?)s.Id));
        log.Should().OnlyContain(e => e.CardId == null);
        await FluentActions.Awaiting(() => Db.Claims.RenewAsync(claims[0], Lease)).Should().ThrowAsync<LeaseLostException>("the version changed");
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_AllOrNothingWithConflictsAndMissing_ThrowsWithExactListsAndChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(6);
        await Db.Cards.UpdateStatusAsync(cards[1].Id, CardStatus.InProgress, 1);
        await Db.Cards.UpdateStatusAsync(cards[3].Id, CardStatus.InProgress, 1);
        await Db.Cards.UpdateStatusAsync(cards[3].Id, CardStatus.Failed, 2);
        var missing = new[] { Guid.CreateVersion7(), Guid.CreateVersion7() };
        var before = await CardsOfRunAsync(story.RunId);
        var log = await CountRunLogAsync();
        var changes = cards.Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.Completed))
            .Concat(missing.Select(id => new StatusChange<CardStatus>(id, 1, CardStatus.Completed)));

        var act = () => Db.Cards.UpdateStatusesAsync(changes);

        var error = (await act.Should().ThrowAsync<StatusChangeConflictException>()).Which;
        error.Entity.Should().Be("Card");
        error.Conflicts.Should().Equal(
            new[] { new StatusConflict(cards[1].Id, 1, 2), new StatusConflict(cards[3].Id, 1, 3) }.OrderBy(c => c.Id));
        error.Missing.Should().Equal(missing.Order());
        error.Message.Should().Contain("2 version conflict(s)").And.Contain("2 missing id(s)").And.Contain(cards[1].Id.ToString())
            .And.Contain("Nothing of the batch was changed");
        error.Should().BeAssignableTo<RunEngineDataException>();
        (await CardsOfRunAsync(story.RunId)).Should().BeEquivalentTo(before);
        (await CountRunLogAsync()).Should().Be(log);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_ApplyWhatMatches_AppliesTheRestAndReportsExactLists()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(6);
        await Db.Cards.UpdateStatusAsync(cards[2].Id, CardStatus.InProgress, 1);
        var missing = Guid.CreateVersion7();
        var changes = cards.Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.Completed))
            .Append(new StatusChange<CardStatus>(missing, 4, CardStatus.Completed));

        var result = await Db.Cards.UpdateStatusesAsync(changes, StatusChangeOptions.ApplyWhatMatches);

        result.Changed.Should().Be(5);
        result.Conflicts.Should().Equal(new StatusConflict(cards[2].Id, 1, 2));
        result.Missing.Should().Equal(missing);
        result.AllApplied.Should().BeFalse();
        var stored = (await CardsOfRunAsync(story.RunId)).ToDictionary(c => c.Id);
        stored[cards[2].Id].Should().BeEquivalentTo(new { Status = CardStatus.InProgress, Version = 2 });
        cards.Where((_, i) => i != 2).Should().OnlyContain(c => stored[c.Id].Status == CardStatus.Completed && stored[c.Id].Version == 2);
        (await LogOfRunAsync(story.RunId)).Count(e => e.Kind == RunEventKinds.CardStatusChanged).Should().Be(6, "one from the single-row change, five from the batch");
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_SameIdTwice_ThrowsWithPositionAndChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(3);
        var log = await CountRunLogAsync();
        var changes = new[]
        {
            new StatusChange<CardStatus>(cards[0].Id, 1, CardStatus.InProgress),
            new StatusChange<CardStatus>(cards[1].Id, 1, CardStatus.InProgress),
            new StatusChange<CardStatus>(cards[0].Id, 2, CardStatus.Completed),
        };

        var act = () => Db.Cards.UpdateStatusesAsync(changes, StatusChangeOptions.ApplyWhatMatches);

        var error = (await act.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Should().BeEquivalentTo(new { Entity = "Card", Position = (long?)2, Field = "Id" });
        error.Reason.Should().Contain("position 0");
        await AssertUnchangedAsync(story.RunId, log);
    }

    [SkippableTheory]
    [InlineData(99)]
    [InlineData(-1)]
    public async Task UpdateStatusesAsync_UndefinedStatus_ThrowsWithPositionAndChangesNothing(short value)
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var log = await CountRunLogAsync();
        var changes = new[]
        {
            new StatusChange<StoryStatus>(stories[0].Id, 1, StoryStatus.Completed),
            new StatusChange<StoryStatus>(stories[1].Id, 1, (StoryStatus)value),
        };

        var act = () => Db.Stories.UpdateStatusesAsync(changes);

        var error = (await act.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Should().BeEquivalentTo(new { Entity = "Story", Position = (long?)1, Field = "Status" });
        (await StoriesOfRunAsync(stories[0].RunId)).Should().OnlyContain(s => s.Status == StoryStatus.Ready && s.Version == 1);
        (await CountRunLogAsync()).Should().Be(log);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_EmptyIdOrBadMessage_ThrowsWithField()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(2);
        var log = await CountRunLogAsync();

        var empty = () => Db.Cards.UpdateStatusesAsync([new StatusChange<CardStatus>(cards[0].Id, 1, CardStatus.Completed), new StatusChange<CardStatus>(Guid.Empty, 1, CardStatus.Completed)]);
        var nul = () => Db.Cards.UpdateStatusesAsync([new StatusChange<CardStatus>(cards[0].Id, 1, CardStatus.Completed) { Message = "a\0b" }]);
        var longMessage = () => Db.Cards.UpdateStatusesAsync([new StatusChange<CardStatus>(cards[0].Id, 1, CardStatus.Completed) { Message = new string('m', 4001) }]);

        (await empty.Should().ThrowAsync<BatchValidationException>()).Which.Should().BeEquivalentTo(new { Position = (long?)1, Field = "Id" });
        (await nul.Should().ThrowAsync<BatchValidationException>()).Which.Should().BeEquivalentTo(new { Position = (long?)0, Field = "Message" });
        (await longMessage.Should().ThrowAsync<BatchValidationException>()).Which.Should().BeEquivalentTo(new { Position = (long?)0, Field = "Message" });
        await AssertUnchangedAsync(story.RunId, log);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_ZeroChanges_OpensNoConnection()
    {
        Fixture.SkipIfUnavailable();
        await using var connection = await Fixture.OpenConnectionAsync();
        await connection.CloseAsync();

        // A joined closed connection fails any operation that begins a scope ("must be open"): an empty batch begins none.
        var joined = Db.Join(connection);
        var stories = await joined.Stories.UpdateStatusesAsync(Array.Empty<StatusChange<StoryStatus>>());
        var cards = await joined.Cards.UpdateStatusesAsync(TestData.ToAsync(Array.Empty<StatusChange<CardStatus>>()), StatusChangeOptions.ApplyWhatMatches);

        stories.Changed.Should().Be(0);
        cards.Should().BeEquivalentTo(new { Changed = 0L, Conflicts = Array.Empty<StatusConflict>(), Missing = Array.Empty<Guid>() });
        await FluentActions.Awaiting(() => joined.Stories.UpdateStatusesAsync([new StatusChange<StoryStatus>(Guid.CreateVersion7(), 1, StoryStatus.Ready)]))
            .Should().ThrowAsync<InvalidOperationException>("a batch with a change does need the connection, which proves the empty one never asked");
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_HundredThousandChanges_AppliedInOneCall()
    {
        Fixture.SkipIfUnavailable();
        const int Count = 100_000;
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 100).ToList();
        var cards = TestData.Cards(stories, Count / 100);
        await Db.WriteCycleAsync(stories, cards);
        var log = await CountRunLogAsync();

        var result = await Db.Cards.UpdateStatusesAsync(cards.Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.Completed)));

        result.Changed.Should().Be(Count);
        var progress = await Db.GetRunProgressAsync(runId);
        progress.Cards.Where(p => p.Value > 0).Select(p => (p.Key, p.Value)).Should().Equal((CardStatus.Completed, (long)Count));
        (await CountRunLogAsync()).Should().Be(log + Count);

        // A repeat that only the database's stage key can see (both beyond the window of the first ids).
        var repeated = cards.Select(c => new StatusChange<CardStatus>(c.Id, 2, CardStatus.Failed)).Take(30_000).Append(new StatusChange<CardStatus>(cards[20_000].Id, 2, CardStatus.Failed));
        var act = () => Db.Cards.UpdateStatusesAsync(repeated, StatusChangeOptions.ApplyWhatMatches);

        var error = (await act.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Field.Should().Be("Id");
        (await Db.GetRunProgressAsync(runId)).Cards[CardStatus.Completed].Should().Be(Count, "nothing of the rejected batch was changed");
        (await CountRunLogAsync()).Should().Be(log + Count);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_TwoOverlappingBatchesConcurrently_EachChangeAppliedOnceAndEachConflictReportedOnce()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(600);
        var ids = cards.Select(c => c.Id).ToList();

        // The first batch goes forward, the second backward: different stream orders over the same 200 ids.
        var first = ids.Take(400).Select(id => new StatusChange<CardStatus>(id, 1, CardStatus.Completed)).ToList();
        var second = ids.Skip(200).Reverse().Select(id => new StatusChange<CardStatus>(id, 1, CardStatus.Failed)).ToList();
        using var start = new Barrier(2);
        var results = await Task.WhenAll(new[] { first, second }.Select(batch => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            return Db.Cards.UpdateStatusesAsync(batch, StatusChangeOptions.ApplyWhatMatches);
        })));

        results.Sum(r => r.Changed).Should().Be(600, "every id is applied by exactly one batch");
        var overlap = ids.Skip(200).Take(200).ToHashSet();
        var conflicted = results.SelectMany(r => r.Conflicts).ToList();
        conflicted.Select(c => c.Id).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(overlap, "each overlapping change conflicts in exactly one batch");
        conflicted.Should().OnlyContain(c => c.ExpectedVersion == 1 && c.ActualVersion == 2);
        results.Should().OnlyContain(r => r.Missing.Count == 0);
        var stored = await CardsOfRunAsync(story.RunId);
        stored.Should().OnlyContain(c => c.Version == 2);
        (await LogOfRunAsync(story.RunId)).Where(e => e.Kind == RunEventKinds.CardStatusChanged).Select(e => e.CardId).Should()
            .OnlyHaveUniqueItems().And.HaveCount(600);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_CancelledMidStream_ChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(3_000);
        var log = await CountRunLogAsync();
        using var cancellation = new CancellationTokenSource();
        var changes = TestData.CancellingAfter(cards.Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.Completed)), 2_000, cancellation);

        var act = () => Db.Cards.UpdateStatusesAsync(changes, cancellationToken: cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        await AssertUnchangedAsync(story.RunId, log);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_InSessionAfterUnmatchedBatch_KeepsTheSessionAndItsEarlierWork()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(4);

        await using (var session = await Db.BeginSessionAsync())
        {
            (await session.Cards.UpdateStatusesAsync([new StatusChange<CardStatus>(cards[0].Id, 1, CardStatus.InProgress)])).Changed.Should().Be(1);
            await FluentActions.Awaiting(() => session.Cards.UpdateStatusesAsync(
                    [new StatusChange<CardStatus>(cards[1].Id, 1, CardStatus.Completed), new StatusChange<CardStatus>(cards[0].Id, 1, CardStatus.Completed)]))
                .Should().ThrowAsync<StatusChangeConflictException>();
            await FluentActions.Awaiting(() => session.Cards.UpdateStatusesAsync(
                    [new StatusChange<CardStatus>(cards[2].Id, 1, CardStatus.Completed), new StatusChange<CardStatus>(cards[2].Id, 1, CardStatus.Completed)]))
                .Should().ThrowAsync<BatchValidationException>();
            (await session.Cards.UpdateStatusesAsync([new StatusChange<CardStatus>(cards[3].Id, 1, CardStatus.Completed)])).Changed.Should().Be(1);
            await session.CommitAsync();
        }

        var stored = (await CardsOfRunAsync(story.RunId)).ToDictionary(c => c.Id);
        stored[cards[0].Id].Should().BeEquivalentTo(new { Status = CardStatus.InProgress, Version = 2 });
        stored[cards[1].Id].Should().BeEquivalentTo(new { Status = CardStatus.Pending, Version = 1 });
        stored[cards[2].Id].Should().BeEquivalentTo(new { Status = CardStatus.Pending, Version = 1 });
        stored[cards[3].Id].Should().BeEquivalentTo(new { Status = CardStatus.Completed, Version = 2 });
        (await LogOfRunAsync(story.RunId)).Count(e => e.Kind == RunEventKinds.CardStatusChanged).Should().Be(2);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_JoinedTransactionRolledBack_ChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(3);
        var log = await CountRunLogAsync();

        await using (var connection = await Fixture.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var joined = Db.Join(connection, transaction);
            (await joined.Cards.UpdateStatusesAsync(cards.Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.Completed)))).Changed.Should().Be(3);
            await transaction.RollbackAsync();
        }

        await AssertUnchangedAsync(story.RunId, log);
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
