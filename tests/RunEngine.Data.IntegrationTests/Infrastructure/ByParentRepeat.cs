using RunEngine.Data.Repositories;
using RunEngine.Data.Resilience;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.IntegrationTests.Infrastructure;

/// <summary>
/// A by-parent change applied, then repeated as after a lost commit reply: the repeat must return the first attempt's
/// count (PostgreSQL counts the call's own entries), or, where a provider cannot tell, give up — the attempt then
/// reports itself not repeatable (it becomes a CommitOutcomeUnknownException) rather than report the repeat's 0.
/// </summary>
internal static class ByParentRepeat
{
    public static async Task AssertRepeatReturnsFirstCountAsync(StatusByParentStore store, IScopeFactory scopes, ParentStatusChange change, long expected)
    {
        (await store.ApplyAttemptAsync(scopes, change, OperationAttempt.First, default)).Should().Be(expected);
        var repeat = new OperationAttempt(2, earlierMayHaveCommitted: true) { PreviousError = new TimeoutException("reply lost") };

        long? repeated = null;
        try
        {
            repeated = await store.ApplyAttemptAsync(scopes, change, repeat, default);
        }
        catch (TimeoutException)
        {
            repeat.Repeatable.Should().BeFalse();
        }

        if (repeated is not null)
        {
            repeated.Should().Be(expected);
        }
    }
}
