using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Resilience;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Status changes repeated after an unknown commit outcome (issue 11): the first attempt applied the change and its
/// reply was lost, so the repeat (<see cref="OperationAttempt.EarlierMayHaveCommitted"/>) must recognise the change
/// as its own — the same result, one log entry, the version raised once — while a change by another writer stays a
/// conflict and a failure before the commit simply runs again.
/// </summary>
public abstract class StatusChangeRepeatContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly OperationAttempt Repeat = new(2, earlierMayHaveCommitted: true);
    private static readonly StatusChangeOptions WhatMatches = new() { Mode = StatusChangeMode.ApplyWhatMatches };

    protected StatusChangeRepeatContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_RepeatAfterAppliedStory_ReturnsTheSameVersionAndLogsOnce()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready)).Single();
        var store = Db.Set.Stories;
        var change = store.NewStatusChange(story.Id, (short)StoryStatus.Completed, story.Version);

        var first = await store.UpdateStatusAttemptAsync(Db.Scopes, change, OperationAttempt.First, default);
        var repeated = await store.UpdateStatusAttemptAsync(Db.Scopes, change, Repeat, default);

        first.Should().Be(story.Version + 1);
        repeated.Should().Be(first);
        (await Db.Stories.GetAsync(story.Id))!.Should().BeEquivalentTo(new { Status = StoryStatus.Completed, Version = story.Version + 1 });
        (await LogOfRunAsync(story.RunId)).Where(e => e.Kind == RunEventKinds.StoryStatusChanged).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_RepeatAfterAppliedCard_ReturnsTheSameVersionAndLogsOnce()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready)).Single();
        var card = TestData.Card(story, 0);
        await Db.Cards.AddRangeAsync([card]);
        var store = Db.Set.Cards;
        var change = store.NewStatusChange(card.Id, (short)CardStatus.Completed, card.Version);

        var first = await store.UpdateStatusAttemptAsync(Db.Scopes, change, OperationAttempt.First, default);
        var repeated = await store.UpdateStatusAttemptAsync(Db.Scopes, change, Repeat, default);

        repeated.Should().Be(first).And.Be(card.Version + 1);
        (await Db.Cards.GetAsync(card.Id))!.Version.Should().Be(card.Version + 1);
        (await LogOfRunAsync(story.RunId)).Where(e => e.Kind == RunEventKinds.CardStatusChanged).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_RepeatAfterAnotherWritersChange_IsStillAConflict()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready)).Single();
        var store = Db.Set.Stories;
        var change = store.NewStatusChange(story.Id, (short)StoryStatus.Completed, story.Version);
        // Another writer's change at the same expected version, with the same new status: not this call's.
        await Db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Completed, story.Version);

        var act = () => store.UpdateStatusAttemptAsync(Db.Scopes, change, Repeat, default);

        var conflict = (await act.Should().ThrowAsync<ConcurrencyConflictException>()).Which;
        conflict.ActualVersion.Should().Be(story.Version + 1);
        (await LogOfRunAsync(story.RunId)).Where(e => e.Kind == RunEventKinds.StoryStatusChanged).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_RetryAfterFailureBeforeCommit_AppliesOnce()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready)).Single();
        var store = Db.Set.Stories;
        var change = store.NewStatusChange(story.Id, (short)StoryStatus.Failed, story.Version);

        var version = await store.UpdateStatusAttemptAsync(Db.Scopes, change, new OperationAttempt(2, earlierMayHaveCommitted: false), default);

        version.Should().Be(story.Version + 1);
        (await LogOfRunAsync(story.RunId)).Where(e => e.Kind == RunEventKinds.StoryStatusChanged).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_RepeatAfterAppliedBatchWithConflictAndMissing_GivesTheFirstResultAndLogsOnce()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Ready);
        var runId = stories[0].RunId;
        var missing = Guid.CreateVersion7();
        StatusChange<StoryStatus>[] changes =
        [
            new(stories[0].Id, stories[0].Version, StoryStatus.Completed),
            new(stories[1].Id, stories[1].Version + 5, StoryStatus.Completed),
            new(stories[2].Id, stories[2].Version, StoryStatus.Failed),
            new(missing, 1, StoryStatus.Completed),
        ];
        var store = Db.Set.StoryStatusChanges;
        await using var call = (await store.OpenCallAsync(new ChangeCursorOf<StoryStatus>(changes), WhatMatches, default))!;

        var first = await store.ApplyAttemptAsync(Db.Scopes, call, OperationAttempt.First, default);
        var repeated = await store.ApplyAttemptAsync(Db.Scopes, call, Repeat, default);

        first.Changed.Should().Be(2);
        repeated.Should().BeEquivalentTo(first);
        var stored = (await StoriesOfRunAsync(runId)).ToDictionary(s => s.Id);
        stored[stories[0].Id].Version.Should().Be(stories[0].Version + 1);
        stored[stories[1].Id].Version.Should().Be(stories[1].Version);
        stored[stories[2].Id].Version.Should().Be(stories[2].Version + 1);
        (await LogOfRunAsync(runId)).Where(e => e.Kind == RunEventKinds.StoryStatusChanged).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_AllOrNothingRepeatAfterApplied_ChangesEachOnce()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready)).Single();
        var card = TestData.Card(story, 0);
        var other = TestData.Card(story, 1);
        await Db.Cards.AddRangeAsync([card, other]);
        StatusChange<CardStatus>[] changes = [new(card.Id, card.Version, CardStatus.Completed), new(other.Id, other.Version, CardStatus.Failed)];
        var store = Db.Set.CardStatusChanges;
        var options = new StatusChangeOptions { Mode = StatusChangeMode.AllOrNothing };
        await using var call = (await store.OpenCallAsync(new ChangeCursorOf<CardStatus>(changes.ToList()), options, default))!;

        var first = await store.ApplyAttemptAsync(Db.Scopes, call, OperationAttempt.First, default);
        var repeated = await store.ApplyAttemptAsync(Db.Scopes, call, Repeat, default);

        first.Changed.Should().Be(2);
        repeated.Should().BeEquivalentTo(first);
        repeated.AllApplied.Should().BeTrue();
        (await CardsOfRunAsync(story.RunId)).Should().OnlyContain(c => c.Version == card.Version + 1);
        (await LogOfRunAsync(story.RunId)).Where(e => e.Kind == RunEventKinds.CardStatusChanged).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_RepeatWhenNothingWasStored_AppliesAndReportsAnotherWritersConflict()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        StatusChange<StoryStatus>[] changes =
        [
            new(stories[0].Id, stories[0].Version, StoryStatus.Completed),
            new(stories[1].Id, stories[1].Version, StoryStatus.Completed),
        ];
        var store = Db.Set.StoryStatusChanges;
        await using var call = (await store.OpenCallAsync(new ChangeCursorOf<StoryStatus>(changes), WhatMatches, default))!;
        // The lost attempt did not commit; meanwhile another writer changed the second story.
        await Db.Stories.UpdateStatusAsync(stories[1].Id, StoryStatus.Completed, stories[1].Version);

        var repeated = await store.ApplyAttemptAsync(Db.Scopes, call, Repeat, default);

        repeated.Changed.Should().Be(1);
        repeated.Conflicts.Should().Equal(new StatusConflict(stories[1].Id, stories[1].Version, stories[1].Version + 1));
        (await LogOfRunAsync(stories[0].RunId)).Where(e => e.Kind == RunEventKinds.StoryStatusChanged).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_LazyAllOrNothingRepeatAfterApplied_RecognisedWithoutReadingAgain()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var reads = 0;
        IEnumerable<StatusChange<StoryStatus>> Lazy()
        {
            foreach (var story in stories)
            {
                reads++;
                yield return new(story.Id, story.Version, StoryStatus.Completed);
            }
        }

        var store = Db.Set.StoryStatusChanges;
        await using var call = (await store.OpenCallAsync(new ChangeCursorOf<StoryStatus>(Lazy()), null, default))!;
        var first = await store.ApplyAttemptAsync(Db.Scopes, call, OperationAttempt.First, default);

        var repeated = await store.ApplyAttemptAsync(Db.Scopes, call, Repeat, default);

        repeated.Should().BeEquivalentTo(first);
        repeated.Changed.Should().Be(2);
        reads.Should().Be(2, "a lazy input is read once; the first change's entry tells that the whole batch committed");
        (await LogOfRunAsync(stories[0].RunId)).Where(e => e.Kind == RunEventKinds.StoryStatusChanged).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_LazyInputFailingAfterItsFirstChange_IsNotRepeatable()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        IEnumerable<StatusChange<StoryStatus>> Failing()
        {
            yield return new(stories[0].Id, stories[0].Version, StoryStatus.Completed);
            throw new TimeoutException("the source failed");
        }

        var store = Db.Set.StoryStatusChanges;
        await using var call = (await store.OpenCallAsync(new ChangeCursorOf<StoryStatus>(Failing()), WhatMatches, default))!;
        var attempt = OperationAttempt.First;

        var act = () => store.ApplyAttemptAsync(Db.Scopes, call, attempt, default);

        await act.Should().ThrowAsync<TimeoutException>();
        attempt.Repeatable.Should().BeFalse("its lazy input was read and cannot be read again identically");
        (await Db.Stories.GetAsync(stories[0].Id))!.Version.Should().Be(stories[0].Version);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_LazyInputNotYetTaken_RunsAgain()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var store = Db.Set.StoryStatusChanges;
        var lazy = stories.Select(s => new StatusChange<StoryStatus>(s.Id, s.Version, StoryStatus.Completed));
        await using var call = (await store.OpenCallAsync(new ChangeCursorOf<StoryStatus>(lazy), null, default))!;

        // An attempt that failed before it took the first change (opening its connection, say) left the input untouched.
        var result = await store.ApplyAttemptAsync(Db.Scopes, call, new OperationAttempt(2, earlierMayHaveCommitted: false), default);

        result.Changed.Should().Be(2);
    }

    [SkippableFact]
    public async Task UpdateStatusByRunAsync_RetryAfterFailureBeforeCommit_AppliesOnce()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var store = Db.Set.StoryStatusByRun;
        var change = new ParentStatusChange([stories[0].RunId], [(short)StoryStatus.Ready], (short)StoryStatus.Cancelled, null, "status set to Cancelled (version ", Now);

        var changed = await store.ApplyAttemptAsync(Db.Scopes, change, new OperationAttempt(2, earlierMayHaveCommitted: false), default);

        changed.Should().Be(2);
        (await LogOfRunAsync(stories[0].RunId)).Where(e => e.Kind == RunEventKinds.StoryStatusChanged).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task UpdateStatusByRunAsync_RepeatAfterApplied_GivesTheFirstCountOrGivesUpButNeverAWrongOne()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var store = Db.Set.StoryStatusByRun;
        var change = new ParentStatusChange([stories[0].RunId], [(short)StoryStatus.Ready], (short)StoryStatus.Cancelled, null, "status set to Cancelled (version ", Now);
        await ByParentRepeat.AssertRepeatReturnsFirstCountAsync(store, Db.Scopes, change, 2);

        (await LogOfRunAsync(stories[0].RunId)).Where(e => e.Kind == RunEventKinds.StoryStatusChanged).Should().HaveCount(2);
        (await StoriesOfRunAsync(stories[0].RunId)).Should().OnlyContain(s => s.Version == stories[0].Version + 1);
    }
}
