using System.Diagnostics;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// <see cref="StatusChangeOptions.Timeout"/>: validated like <see cref="BulkInsertOptions.Timeout"/> before anything is
/// sent; without it a batch has no limit (not <see cref="RunEngineOptions.CommandTimeout"/>, which used to end a large
/// or blocked batch); with it, a batch that waits too long fails with the provider's timeout error and changes nothing.
/// The slow batches are made slow honestly: another transaction holds a lock on one of their rows for a while.
/// </summary>
public abstract class StatusChangeTimeoutContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly TimeSpan ShortCommandTimeout = TimeSpan.FromSeconds(1);

    protected StatusChangeTimeoutContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableTheory]
    [InlineData(0L)]
    [InlineData(-10_000L)] // -1 ms
    [InlineData(21_474_836_480_000L)] // BulkInsertOptions.MaxTimeout (int.MaxValue ms) + 1 ms
    public async Task UpdateStatusesAsync_TimeoutZeroNegativeOrBeyondMax_ArgumentErrorBeforeAnythingIsSent(long ticks)
    {
        Fixture.SkipIfUnavailable();
        TimeSpan.FromTicks(21_474_836_480_000L).Should().Be(BulkInsertOptions.MaxTimeout + TimeSpan.FromMilliseconds(1));
        var options = new StatusChangeOptions { Timeout = TimeSpan.FromTicks(ticks) };
        await using var connection = await Fixture.OpenConnectionAsync();
        await connection.CloseAsync();

        // A joined closed connection fails any call that begins a scope ("must be open"), and the sources record
        // whether they were read: the options are rejected before either.
        var joined = Db.Join(connection);
        var read = false;
        IEnumerable<StatusChange<StoryStatus>> Stories()
        {
            read = true;
            yield return new StatusChange<StoryStatus>(Guid.CreateVersion7(), 1, StoryStatus.Ready);
        }

        async IAsyncEnumerable<StatusChange<CardStatus>> Cards()
        {
            read = true;
            await Task.Yield();
            yield return new StatusChange<CardStatus>(Guid.CreateVersion7(), 1, CardStatus.Completed);
        }

        var stories = (await FluentActions.Awaiting(() => joined.Stories.UpdateStatusesAsync(Stories(), options))
            .Should().ThrowAsync<ArgumentOutOfRangeException>()).Which;
        var cards = (await FluentActions.Awaiting(() => joined.Cards.UpdateStatusesAsync(Cards(), options))
            .Should().ThrowAsync<ArgumentOutOfRangeException>()).Which;

        stories.ParamName.Should().Be("Timeout");
        stories.Message.Should().Contain("MaxTimeout");
        cards.ParamName.Should().Be("Timeout");
        read.Should().BeFalse("the options are checked before the changes are read");
        FluentActions.Invoking(options.Validate).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Timeout");
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_TimeoutAtMax_Applies()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);

        var result = await Db.Stories.UpdateStatusesAsync(
            stories.Select(s => new StatusChange<StoryStatus>(s.Id, 1, StoryStatus.Completed)), new StatusChangeOptions { Timeout = BulkInsertOptions.MaxTimeout });

        result.Changed.Should().Be(2);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_LockWaitLongerThanCommandTimeoutWithoutTimeout_Applies()
    {
        Fixture.SkipIfUnavailable();
        await using var slow = Fixture.CreateDatabase(o => o.CommandTimeout = ShortCommandTimeout);
        var story = TestData.Story(TestData.NewRunId(), 0);
        var cards = Enumerable.Range(0, 3).Select(i => TestData.Card(story, i)).ToList();
        await Db.WriteCycleAsync([story], cards);
        var changes = cards.Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.Completed)).ToList();

        var holder = await Fixture.HoldRowLockAsync(Db.Provider.Tables.Cards, cards[1].Id);
        var release = holder.ReleaseAfterAsync(TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();
        StatusChangeResult result;
        try
        {
            result = await slow.Cards.UpdateStatusesAsync(TestData.ToAsync(changes));
        }
        finally
        {
            await release;
        }

        clock.Elapsed.Should().BeGreaterThan(ShortCommandTimeout, "the batch waited for the lock longer than CommandTimeout");
        result.Changed.Should().Be(3);
        (await CardsOfRunAsync(story.RunId)).Should().OnlyContain(c => c.Status == CardStatus.Completed && c.Version == 2);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_TimeoutRunsOutWaitingForALock_TimeoutErrorAndNothingChanged()
    {
        Fixture.SkipIfUnavailable();
        Skip.If(Fixture.NoLockWaitInStatementsReason is not null, Fixture.NoLockWaitInStatementsReason);
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Ready);
        var log = await CountRunLogAsync();
        var changes = stories.Select(s => new StatusChange<StoryStatus>(s.Id, 1, StoryStatus.Completed)).ToList();
        var hold = TimeSpan.FromSeconds(5);

        var holder = await Fixture.HoldRowLockAsync(Db.Provider.Tables.Stories, stories[1].Id);
        var release = holder.ReleaseAfterAsync(hold);
        var clock = Stopwatch.StartNew();
        Exception? error = null;
        try
        {
            await Db.Stories.UpdateStatusesAsync(changes, new StatusChangeOptions { Timeout = TimeSpan.FromSeconds(1) });
        }
        catch (Exception ex)
        {
            error = ex;
        }

        var elapsed = clock.Elapsed;
        await release;

        error.Should().NotBeNull("the lock was held longer than the Timeout");
        // The batch's own Timeout ran out: it is not repeated (that would stretch the bound), and the provider's timeout
        // error surfaces inside a TransientFaultException when the provider's timeout is a transient error.
        var cause = error is TransientFaultException { Attempts: 1 } fault ? fault.InnerException! : error!;
        Fixture.IsTimeout(cause).Should().BeTrue($"a timeout gives {Fixture.ProviderName}'s timeout error, as for bulk inserts; got {error}");
        elapsed.Should().BeLessThan(hold, "the Timeout ended the wait, not the lock's release");
        (await StoriesOfRunAsync(stories[0].RunId)).Should().OnlyContain(s => s.Status == StoryStatus.Ready && s.Version == 1);
        (await CountRunLogAsync()).Should().Be(log);
        (await Db.Stories.UpdateStatusesAsync(changes)).Changed.Should().Be(3, "the database stays usable");
    }
}
