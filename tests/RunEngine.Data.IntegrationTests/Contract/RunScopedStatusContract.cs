using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Resilience;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// The run-scoped status changes (issue 12): <c>UpdateStatusAsync(runId, id, …)</c>, <c>UpdateStatusesAsync(runId, …)</c>
/// and <c>UpdateStatusByStoryAsync(runId, …)</c> change rows of their run exactly as the id-only forms do (versions,
/// log entries, claim rule, modes, repeats after an unknown commit), treat a row of another run as a missing row and
/// change nothing of it, reject <see cref="Guid.Empty"/> as the run before anything is read or sent, and leave the
/// id-only forms working as before.
/// </summary>
public abstract class RunScopedStatusContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly CardStatus[] Unfinished = [CardStatus.Pending, CardStatus.InProgress];
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly StatusChangeOptions WhatMatches = new() { Mode = StatusChangeMode.ApplyWhatMatches };
    private static readonly OperationAttempt Repeat = new(2, earlierMayHaveCommitted: true);

    protected RunScopedStatusContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_StoryOfTheRun_AppliesWithVersionLogEntryAndClaimRule()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var runId = stories[0].RunId;
        var claims = await Db.Claims.ClaimAsync(runId, "worker-a", 2, Lease);
        var first = claims.Single(c => c.StoryId == stories[0].Id);
        var second = claims.Single(c => c.StoryId == stories[1].Id);

        var kept = await Db.Stories.UpdateStatusAsync(runId, stories[0].Id, StoryStatus.InProgress, first.Version);
        var ended = await Db.Stories.UpdateStatusAsync(runId, stories[1].Id, StoryStatus.Failed, second.Version);

        kept.Should().Be(first.Version + 1);
        ended.Should().Be(second.Version + 1);
        (await Db.Stories.GetAsync(stories[0].Id)).Should().BeEquivalentTo(new
        {
            Status = StoryStatus.InProgress, ClaimedBy = "worker-a", LeaseExpiresAt = (DateTimeOffset?)(Now + Lease), Version = kept, UpdatedAt = Now,
        });
        (await Db.Stories.GetAsync(stories[1].Id)).Should().BeEquivalentTo(new
        {
            Status = StoryStatus.Failed, ClaimedBy = (string?)null, LeaseExpiresAt = (DateTimeOffset?)null, Version = ended,
        });
        var log = (await LogOfRunAsync(runId)).Where(e => e.Kind == RunEventKinds.StoryStatusChanged).ToList();
        log.Should().HaveCount(2);
        log.Should().OnlyContain(e => e.RunId == runId && e.CardId == null && e.Worker == null && e.OccurredAt == Now);
        log.Single(e => e.StoryId == stories[1].Id).Message.Should().Be($"status set to Failed (version {ended})");
        await FluentActions.Awaiting(() => Db.Claims.RenewAsync(first, Lease)).Should().ThrowAsync<LeaseLostException>("the version changed");
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_CardOfTheRun_AppliesWithVersionAndLogEntry()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(2);

        var version = await Db.Cards.UpdateStatusAsync(story.RunId, cards[1].Id, CardStatus.Completed, 1);

        version.Should().Be(2);
        (await Db.Cards.GetAsync(cards[1].Id)).Should().BeEquivalentTo(new { Status = CardStatus.Completed, Version = 2, UpdatedAt = Now });
        (await Db.Cards.GetAsync(cards[0].Id)).Should().BeEquivalentTo(new { Status = CardStatus.Pending, Version = 1 });
        var entry = (await LogOfRunAsync(story.RunId)).Where(e => e.Kind == RunEventKinds.CardStatusChanged).Should().ContainSingle().Which;
        entry.Should().BeEquivalentTo(new { RunId = story.RunId, StoryId = (Guid?)story.Id, CardId = (Guid?)cards[1].Id, Message = "status set to Completed (version 2)" });
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_RowOfAnotherRun_IsMissingAndChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(1);
        var otherRun = (await SeedStoriesAsync(StoryStatus.Ready)).Single().RunId;
        var log = await CountRunLogAsync();

        var story404 = (await FluentActions.Awaiting(() => Db.Stories.UpdateStatusAsync(otherRun, story.Id, StoryStatus.Completed, story.Version))
            .Should().ThrowAsync<EntityNotFoundException>("a story of another run is a missing story")).Which;
        var card404 = (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusAsync(otherRun, cards[0].Id, CardStatus.Completed, 1))
            .Should().ThrowAsync<EntityNotFoundException>("a card of another run is a missing card")).Which;

        story404.Should().BeEquivalentTo(new { Entity = "Story", Id = story.Id });
        card404.Should().BeEquivalentTo(new { Entity = "Card", Id = cards[0].Id });
        (await Db.Stories.GetAsync(story.Id))!.Should().BeEquivalentTo(new { story.Status, story.Version });
        (await Db.Cards.GetAsync(cards[0].Id))!.Should().BeEquivalentTo(new { Status = CardStatus.Pending, Version = 1 });
        (await CountRunLogAsync()).Should().Be(log);
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_StaleVersionInTheRun_IsAConflictWithTheStoredVersion()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(1);
        await Db.Cards.UpdateStatusAsync(story.RunId, cards[0].Id, CardStatus.InProgress, 1);

        var conflict = (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusAsync(story.RunId, cards[0].Id, CardStatus.Completed, 1))
            .Should().ThrowAsync<ConcurrencyConflictException>()).Which;

        conflict.Should().BeEquivalentTo(new { Entity = "Card", Id = cards[0].Id, ExpectedVersion = 1, ActualVersion = 2 });
        (await Db.Cards.GetAsync(cards[0].Id))!.Status.Should().Be(CardStatus.InProgress);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_AllOrNothingWithARowOfAnotherRun_FailsWithItMissingAndChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var stranger = (await SeedStoriesAsync(StoryStatus.Ready)).Single();
        var log = await CountRunLogAsync();
        StatusChange<StoryStatus>[] changes =
        [
            new(stories[0].Id, stories[0].Version, StoryStatus.Completed),
            new(stranger.Id, stranger.Version, StoryStatus.Completed),
            new(stories[1].Id, stories[1].Version, StoryStatus.Completed),
        ];

        var failed = (await FluentActions.Awaiting(() => Db.Stories.UpdateStatusesAsync(stories[0].RunId, changes))
            .Should().ThrowAsync<StatusChangeConflictException>()).Which;

        failed.Missing.Should().Equal(stranger.Id);
        failed.Conflicts.Should().BeEmpty();
        (await StoriesOfRunAsync(stories[0].RunId)).Should().OnlyContain(s => s.Status == StoryStatus.Ready && s.Version == 1);
        (await Db.Stories.GetAsync(stranger.Id))!.Should().BeEquivalentTo(new { Status = StoryStatus.Ready, Version = 1 });
        (await CountRunLogAsync()).Should().Be(log);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_ApplyWhatMatchesCards_AppliesTheRunsAndReportsAnotherRunsAsMissing()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(3);
        var (stranger, strangerCards) = await SeedCardsAsync(1);
        var absent = Guid.CreateVersion7();
        StatusChange<CardStatus>[] changes =
        [
            new(cards[0].Id, 1, CardStatus.Completed),
            new(strangerCards[0].Id, 1, CardStatus.Completed),
            new(cards[1].Id, 7, CardStatus.Completed),
            new(absent, 1, CardStatus.Completed),
            new(cards[2].Id, 1, CardStatus.Failed) { Message = "failed by the test" },
        ];

        var result = await Db.Cards.UpdateStatusesAsync(story.RunId, changes, WhatMatches);

        result.Changed.Should().Be(2);
        result.Conflicts.Should().Equal(new StatusConflict(cards[1].Id, 7, 1));
        result.Missing.Should().Equal(new[] { strangerCards[0].Id, absent }.Order());
        var stored = (await CardsOfRunAsync(story.RunId)).ToDictionary(c => c.Id);
        stored[cards[0].Id].Should().BeEquivalentTo(new { Status = CardStatus.Completed, Version = 2, UpdatedAt = Now });
        stored[cards[1].Id].Should().BeEquivalentTo(new { Status = CardStatus.Pending, Version = 1 });
        stored[cards[2].Id].Should().BeEquivalentTo(new { Status = CardStatus.Failed, Version = 2 });
        (await CardsOfRunAsync(stranger.RunId)).Should().ContainSingle().Which.Should().BeEquivalentTo(new { Status = CardStatus.Pending, Version = 1 });
        var log = (await LogOfRunAsync(story.RunId)).Where(e => e.Kind == RunEventKinds.CardStatusChanged).ToList();
        log.Select(e => e.CardId).Should().BeEquivalentTo(new Guid?[] { cards[0].Id, cards[2].Id });
        log.Should().OnlyContain(e => e.RunId == story.RunId && e.StoryId == story.Id && e.OccurredAt == Now);
        log.Single(e => e.CardId == cards[2].Id).Message.Should().Be("failed by the test");
        (await LogOfRunAsync(stranger.RunId)).Should().NotContain(e => e.Kind == RunEventKinds.CardStatusChanged);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_StoriesFromAsyncSource_AppliesWithTheClaimRule()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Pending);
        var runId = stories[0].RunId;
        var claims = await Db.Claims.ClaimAsync(runId, "worker-a", 2, Lease);
        var changes = new[]
        {
            new StatusChange<StoryStatus>(stories[0].Id, claims.Single(c => c.StoryId == stories[0].Id).Version, StoryStatus.InProgress),
            new StatusChange<StoryStatus>(stories[1].Id, claims.Single(c => c.StoryId == stories[1].Id).Version, StoryStatus.Completed),
            new StatusChange<StoryStatus>(stories[2].Id, 1, StoryStatus.Ready),
        };

        var result = await Db.Stories.UpdateStatusesAsync(runId, TestData.ToAsync(changes));

        result.Changed.Should().Be(3);
        result.AllApplied.Should().BeTrue();
        (await Db.Stories.GetAsync(stories[0].Id)).Should().BeEquivalentTo(new { Status = StoryStatus.InProgress, ClaimedBy = "worker-a", Version = 3 });
        (await Db.Stories.GetAsync(stories[1].Id)).Should().BeEquivalentTo(new { Status = StoryStatus.Completed, ClaimedBy = (string?)null, LeaseExpiresAt = (DateTimeOffset?)null, Version = 3 });
        (await Db.Stories.GetAsync(stories[2].Id)).Should().BeEquivalentTo(new { Status = StoryStatus.Ready, Version = 2 });
        (await LogOfRunAsync(runId)).Where(e => e.Kind == RunEventKinds.StoryStatusChanged).Select(e => e.StoryId)
            .Should().BeEquivalentTo(stories.Select(s => (Guid?)s.Id));
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_AsyncSourceWithARowOfAnotherRun_ReportsItMissing()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(1);
        var (_, strangerCards) = await SeedCardsAsync(1);
        StatusChange<CardStatus>[] changes = [new(cards[0].Id, 1, CardStatus.Completed), new(strangerCards[0].Id, 1, CardStatus.Completed)];

        var result = await Db.Cards.UpdateStatusesAsync(story.RunId, TestData.ToAsync(changes), WhatMatches);

        result.Changed.Should().Be(1);
        result.Missing.Should().Equal(strangerCards[0].Id);
        (await Db.Cards.GetAsync(strangerCards[0].Id))!.Version.Should().Be(1);
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_InTheRun_ChangesOnlyCardsOfTheRunsStoriesAndCountsThem()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 3).ToList();
        var cards = TestData.Cards(stories, 2);
        await Db.WriteCycleAsync(stories, cards);
        var (stranger, strangerCards) = await SeedCardsAsync(2);
        await Db.Cards.UpdateStatusAsync(runId, cards[1].Id, CardStatus.Completed, 1);
        var log = await CountRunLogAsync();

        // Story 0 and 1 of the run, and a story of another run (its cards are not the run's: not changed, not counted).
        var changed = await Db.Cards.UpdateStatusByStoryAsync(runId, [stories[0].Id, stranger.Id, stories[1].Id, stories[0].Id], Unfinished, CardStatus.Cancelled);

        changed.Should().Be(3, "story 0's pending card and story 1's two; story 0's completed card is not in the filter");
        var stored = (await CardsOfRunAsync(runId)).ToDictionary(c => c.Id);
        var expected = cards.Where(c => c.StoryId != stories[2].Id && c.Id != cards[1].Id).Select(c => c.Id).ToHashSet();
        stored.Values.Where(c => expected.Contains(c.Id)).Should().OnlyContain(c => c.Status == CardStatus.Cancelled && c.Version == 2 && c.UpdatedAt == Now);
        stored[cards[1].Id].Should().BeEquivalentTo(new { Status = CardStatus.Completed, Version = 2 });
        stored.Values.Where(c => c.StoryId == stories[2].Id).Should().OnlyContain(c => c.Status == CardStatus.Pending && c.Version == 1);
        (await CardsOfRunAsync(stranger.RunId)).Should().OnlyContain(c => c.Status == CardStatus.Pending && c.Version == 1);
        (await CountRunLogAsync()).Should().Be(log + 3);
        var entries = (await LogOfRunAsync(runId)).TakeLast(3).ToList();
        entries.Select(e => e.CardId!.Value).Should().BeEquivalentTo(expected);
        entries.Should().OnlyContain(e => e.Kind == RunEventKinds.CardStatusChanged && e.RunId == runId && e.Message == "status set to Cancelled (version 2)");
        strangerCards.Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_OnlyStoriesOfAnotherRun_ReturnsZeroAndWritesNothing()
    {
        Fixture.SkipIfUnavailable();
        var (story, _) = await SeedCardsAsync(2);
        var otherRun = (await SeedStoriesAsync(StoryStatus.Ready)).Single().RunId;
        var log = await CountRunLogAsync();

        var changed = await Db.Cards.UpdateStatusByStoryAsync(otherRun, [story.Id], Unfinished, CardStatus.Cancelled);

        changed.Should().Be(0);
        (await CardsOfRunAsync(story.RunId)).Should().OnlyContain(c => c.Status == CardStatus.Pending && c.Version == 1);
        (await CountRunLogAsync()).Should().Be(log);
    }

    [SkippableFact]
    public async Task RunScopedForms_SameIdsInTwoRuns_ChangeOnlyTheNamedRunsRows()
    {
        Fixture.SkipIfUnavailable();
        var (runA, runB) = (TestData.NewRunId(), TestData.NewRunId());
        var storyA = TestData.Story(runA, 0);
        var cardA = TestData.Card(storyA, 0);
        await Db.WriteCycleAsync([storyA], [cardA]);
        var storyB = TestData.Story(runB, 0);
        storyB.Id = storyA.Id;
        var cardB = TestData.Card(storyB, 0);
        cardB.Id = cardA.Id;
        try
        {
            await Db.WriteCycleAsync([storyB], [cardB]);
        }
        catch (BatchValidationException)
        {
            // Only a layout keyed by (run_id, id) (the distributed one) lets two runs hold the same ids.
            Skip.If(true, "ids are unique across runs in this layout (primary keys on id alone)");
        }

        (await Db.Stories.UpdateStatusAsync(runA, storyA.Id, StoryStatus.Completed, 1)).Should().Be(2);
        (await Db.Cards.UpdateStatusesAsync(runB, [new StatusChange<CardStatus>(cardA.Id, 1, CardStatus.Failed)])).Changed.Should().Be(1);
        (await Db.Cards.UpdateStatusByStoryAsync(runA, [storyA.Id], Unfinished, CardStatus.Cancelled)).Should().Be(1);

        (await StoriesOfRunAsync(runA)).Should().ContainSingle().Which.Should().BeEquivalentTo(new { Status = StoryStatus.Completed, Version = 2 });
        (await StoriesOfRunAsync(runB)).Should().ContainSingle().Which.Should().BeEquivalentTo(new { Status = StoryStatus.Pending, Version = 1 });
        (await CardsOfRunAsync(runA)).Should().ContainSingle().Which.Should().BeEquivalentTo(new { Status = CardStatus.Cancelled, Version = 2 });
        (await CardsOfRunAsync(runB)).Should().ContainSingle().Which.Should().BeEquivalentTo(new { Status = CardStatus.Failed, Version = 2 });
        (await LogOfRunAsync(runA)).Where(e => e.Kind is RunEventKinds.StoryStatusChanged or RunEventKinds.CardStatusChanged).Select(e => e.Kind)
            .Should().BeEquivalentTo([RunEventKinds.StoryStatusChanged, RunEventKinds.CardStatusChanged]);
        (await LogOfRunAsync(runB)).Where(e => e.Kind is RunEventKinds.StoryStatusChanged or RunEventKinds.CardStatusChanged).Should().ContainSingle()
            .Which.Kind.Should().Be(RunEventKinds.CardStatusChanged);
    }

    [SkippableFact]
    public async Task RunScopedForms_EmptyRunId_RejectedBeforeAnythingIsReadOrSent()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(1);
        var log = await CountRunLogAsync();
        var read = 0;
        IEnumerable<StatusChange<CardStatus>> Counted()
        {
            read++;
            yield return new StatusChange<CardStatus>(cards[0].Id, 1, CardStatus.Completed);
        }

        var calls = new Func<Task>[]
        {
            () => Db.Stories.UpdateStatusAsync(Guid.Empty, story.Id, StoryStatus.Completed, 1),
            () => Db.Cards.UpdateStatusAsync(Guid.Empty, cards[0].Id, CardStatus.Completed, 1),
            () => Db.Stories.UpdateStatusesAsync(Guid.Empty, [new StatusChange<StoryStatus>(story.Id, 1, StoryStatus.Completed)]),
            () => Db.Stories.UpdateStatusesAsync(Guid.Empty, TestData.ToAsync(new[] { new StatusChange<StoryStatus>(story.Id, 1, StoryStatus.Completed) })),
            () => Db.Cards.UpdateStatusesAsync(Guid.Empty, Counted(), WhatMatches),
            () => Db.Cards.UpdateStatusesAsync(Guid.Empty, TestData.ToAsync(Counted())),
            () => Db.Cards.UpdateStatusByStoryAsync(Guid.Empty, [story.Id], Unfinished, CardStatus.Cancelled),
        };

        foreach (var call in calls)
        {
            (await FluentActions.Awaiting(call).Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("runId");
        }

        read.Should().Be(0, "the changes are not read when the run is empty");
        (await Db.Stories.GetAsync(story.Id))!.Version.Should().Be(1);
        (await Db.Cards.GetAsync(cards[0].Id))!.Version.Should().Be(1);
        (await CountRunLogAsync()).Should().Be(log);
    }

    [SkippableFact]
    public async Task RunScopedForms_EmptyRunIdOnAClosedJoinedConnection_RejectedWithoutTheConnection()
    {
        Fixture.SkipIfUnavailable();
        await using var connection = await Fixture.OpenConnectionAsync();
        await connection.CloseAsync();

        // A joined closed connection fails any call that begins a scope ("must be open"): the run check comes first.
        var joined = Db.Join(connection);
        (await FluentActions.Awaiting(() => joined.Cards.UpdateStatusAsync(Guid.Empty, Guid.CreateVersion7(), CardStatus.Completed, 1))
            .Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("runId");
        (await FluentActions.Awaiting(() => joined.Cards.UpdateStatusByStoryAsync(Guid.Empty, [Guid.CreateVersion7()], Unfinished, CardStatus.Cancelled))
            .Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("runId");
        (await joined.Cards.UpdateStatusesAsync(TestData.NewRunId(), Array.Empty<StatusChange<CardStatus>>())).Changed.Should().Be(0, "zero changes open no connection");
        (await joined.Cards.UpdateStatusByStoryAsync(TestData.NewRunId(), [], Unfinished, CardStatus.Cancelled)).Should().Be(0, "zero stories open no connection");
    }

    [SkippableFact]
    public async Task RunScopedForms_BadInput_RejectedAsByTheIdOnlyForms()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(2);
        var runId = story.RunId;
        var log = await CountRunLogAsync();

        (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusAsync(runId, cards[0].Id, (CardStatus)99, 1))
            .Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("status");
        (await FluentActions.Awaiting(() => Db.Stories.UpdateStatusAsync(runId, story.Id, (StoryStatus)99, 1))
            .Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("status");
        var empty = (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusesAsync(runId, [new(cards[0].Id, 1, CardStatus.Completed), new(Guid.Empty, 1, CardStatus.Completed)]))
            .Should().ThrowAsync<BatchValidationException>()).Which;
        empty.Should().BeEquivalentTo(new { Entity = "Card", Position = (long?)1, Field = "Id" });
        var repeated = (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusesAsync(runId, TestData.ToAsync(new StatusChange<CardStatus>[] { new(cards[0].Id, 1, CardStatus.Completed), new(cards[0].Id, 1, CardStatus.Failed) })))
            .Should().ThrowAsync<BatchValidationException>()).Which;
        repeated.Should().BeEquivalentTo(new { Position = (long?)1, Field = "Id" });
        (await FluentActions.Awaiting(() => Db.Stories.UpdateStatusesAsync(runId, [new StatusChange<StoryStatus>(story.Id, 1, (StoryStatus)77)]))
            .Should().ThrowAsync<BatchValidationException>()).Which.Field.Should().Be("Status");
        (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusByStoryAsync(runId, [story.Id, Guid.Empty], Unfinished, CardStatus.Cancelled))
            .Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("storyIds");
        (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusByStoryAsync(runId, [story.Id], Array.Empty<CardStatus>(), CardStatus.Cancelled))
            .Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("from");
        (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusByStoryAsync(runId, [story.Id], Unfinished, CardStatus.Cancelled, "bad\0message"))
            .Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("message");
        (await CardsOfRunAsync(runId)).Should().OnlyContain(c => c.Status == CardStatus.Pending && c.Version == 1);
        (await CountRunLogAsync()).Should().Be(log);
    }

    [SkippableFact]
    public async Task IdOnlyForms_StillChangeARowWhateverItsRun()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(3);

        (await Db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Completed, story.Version)).Should().Be(story.Version + 1);
        (await Db.Cards.UpdateStatusAsync(cards[0].Id, CardStatus.Completed, 1)).Should().Be(2);
        (await Db.Cards.UpdateStatusesAsync([new StatusChange<CardStatus>(cards[1].Id, 1, CardStatus.Failed)])).Changed.Should().Be(1);
        (await Db.Cards.UpdateStatusByStoryAsync([story.Id], Unfinished, CardStatus.Cancelled)).Should().Be(1);

        (await CardsOfRunAsync(story.RunId)).Select(c => c.Status).Should().Equal(CardStatus.Completed, CardStatus.Failed, CardStatus.Cancelled);
        (await LogOfRunAsync(story.RunId)).Where(e => e.Kind is RunEventKinds.CardStatusChanged or RunEventKinds.StoryStatusChanged).Should().HaveCount(4);
    }

    [SkippableFact]
    public async Task RunScopedForms_InSessionRolledBack_ChangeNothing()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(3);
        var log = await CountRunLogAsync();

        await using (var session = await Db.BeginSessionAsync())
        {
            (await session.Cards.UpdateStatusAsync(story.RunId, cards[0].Id, CardStatus.Completed, 1)).Should().Be(2);
            (await session.Cards.UpdateStatusesAsync(story.RunId, [new StatusChange<CardStatus>(cards[1].Id, 1, CardStatus.Failed)])).Changed.Should().Be(1);
            (await session.Cards.UpdateStatusByStoryAsync(story.RunId, [story.Id], Unfinished, CardStatus.Cancelled)).Should().Be(1);
            (await session.Stories.UpdateStatusAsync(story.RunId, story.Id, StoryStatus.Cancelled, story.Version)).Should().Be(story.Version + 1);
            await session.RollbackAsync();
        }

        (await CardsOfRunAsync(story.RunId)).Should().OnlyContain(c => c.Status == CardStatus.Pending && c.Version == 1);
        (await Db.Stories.GetAsync(story.Id))!.Version.Should().Be(story.Version);
        (await CountRunLogAsync()).Should().Be(log);
    }

    [SkippableFact]
    public async Task RunScopedForms_AllOrNothingInSessionWithARowOfAnotherRun_UndoneToTheSavepointAndTheSessionGoesOn()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(2);
        var (_, strangerCards) = await SeedCardsAsync(1);

        await using (var session = await Db.BeginSessionAsync())
        {
            (await session.Cards.UpdateStatusAsync(story.RunId, cards[0].Id, CardStatus.Completed, 1)).Should().Be(2);
            await FluentActions.Awaiting(() => session.Cards.UpdateStatusesAsync(story.RunId, [new(cards[1].Id, 1, CardStatus.Failed), new(strangerCards[0].Id, 1, CardStatus.Failed)]))
                .Should().ThrowAsync<StatusChangeConflictException>();
            await FluentActions.Awaiting(() => session.Cards.UpdateStatusAsync(story.RunId, strangerCards[0].Id, CardStatus.Failed, 1))
                .Should().ThrowAsync<EntityNotFoundException>();
            await session.CommitAsync();
        }

        (await CardsOfRunAsync(story.RunId)).Select(c => (c.Status, c.Version)).Should().Equal((CardStatus.Completed, 2), (CardStatus.Pending, 1));
        (await Db.Cards.GetAsync(strangerCards[0].Id))!.Version.Should().Be(1);
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_RunScopedRepeatAfterApplied_ReturnsTheSameVersionAndLogsOnce()
    {
        Fixture.SkipIfUnavailable();
        var (story, cards) = await SeedCardsAsync(1);
        var store = Db.Set.Cards;
        var change = store.NewStatusChange(cards[0].Id, (short)CardStatus.Completed, 1, story.RunId);

        var first = await store.UpdateStatusAttemptAsync(Db.Scopes, change, OperationAttempt.First, default);
        var repeated = await store.UpdateStatusAttemptAsync(Db.Scopes, change, Repeat, default);

        repeated.Should().Be(first).And.Be(2);
        (await Db.Cards.GetAsync(cards[0].Id))!.Version.Should().Be(2);
        (await LogOfRunAsync(story.RunId)).Where(e => e.Kind == RunEventKinds.CardStatusChanged).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_RunScopedRepeatForARowOfAnotherRun_IsStillMissing()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready)).Single();
        var store = Db.Set.Stories;
        var change = store.NewStatusChange(story.Id, (short)StoryStatus.Completed, story.Version, TestData.NewRunId());

        await FluentActions.Awaiting(() => store.UpdateStatusAttemptAsync(Db.Scopes, change, Repeat, default)).Should().ThrowAsync<EntityNotFoundException>();

        (await Db.Stories.GetAsync(story.Id))!.Version.Should().Be(story.Version);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_RunScopedRepeatAfterAppliedBatch_GivesTheFirstResultWithAnotherRunsRowStillMissing()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var stranger = (await SeedStoriesAsync(StoryStatus.Ready)).Single();
        var runId = stories[0].RunId;
        StatusChange<StoryStatus>[] changes =
        [
            new(stories[0].Id, stories[0].Version, StoryStatus.Completed),
            new(stories[1].Id, stories[1].Version + 3, StoryStatus.Completed),
            new(stranger.Id, stranger.Version, StoryStatus.Completed),
        ];
        var store = Db.Set.StoryStatusChanges;
        await using var call = (await store.OpenCallAsync(runId, new ChangeCursorOf<StoryStatus>(changes), WhatMatches, default))!;

        var first = await store.ApplyAttemptAsync(Db.Scopes, call, OperationAttempt.First, default);
        var repeated = await store.ApplyAttemptAsync(Db.Scopes, call, Repeat, default);

        first.Should().BeEquivalentTo(new { Changed = 1L, Missing = new[] { stranger.Id } });
        first.Conflicts.Should().Equal(new StatusConflict(stories[1].Id, stories[1].Version + 3, stories[1].Version));
        repeated.Should().BeEquivalentTo(first);
        (await Db.Stories.GetAsync(stories[0].Id))!.Version.Should().Be(stories[0].Version + 1);
        (await Db.Stories.GetAsync(stranger.Id))!.Version.Should().Be(stranger.Version);
        (await LogOfRunAsync(runId)).Where(e => e.Kind == RunEventKinds.StoryStatusChanged).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_RunScopedRepeatAfterApplied_GivesTheFirstCountOrGivesUpButNeverAWrongOne()
    {
        Fixture.SkipIfUnavailable();
        var (story, _) = await SeedCardsAsync(2);
        var store = Db.Set.CardStatusByStory;
        var change = new ParentStatusChange([story.Id], [(short)CardStatus.Pending], (short)CardStatus.Cancelled, null, "status set to Cancelled (version ", Now)
        {
            RunId = story.RunId,
        };
        // PostgreSQL counts the call's own entries in the run; where a provider cannot, the call gives up.
        await ByParentRepeat.AssertRepeatReturnsFirstCountAsync(store, Db.Scopes, change, 2);

        (await LogOfRunAsync(story.RunId)).Where(e => e.Kind == RunEventKinds.CardStatusChanged).Should().HaveCount(2);
        (await CardsOfRunAsync(story.RunId)).Should().OnlyContain(c => c.Version == 2);
    }

    /// <summary>Writes one story of a new run with <paramref name="count"/> pending cards.</summary>
    protected async Task<(Story Story, List<Card> Cards)> SeedCardsAsync(int count)
    {
        var story = TestData.Story(TestData.NewRunId(), 0);
        var cards = Enumerable.Range(0, count).Select(i => TestData.Card(story, i)).ToList();
        await Db.WriteCycleAsync([story], cards);
        return (story, cards);
    }
}
