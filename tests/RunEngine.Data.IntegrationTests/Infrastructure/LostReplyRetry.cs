using RunEngine.Data.Repositories;
using RunEngine.Data.Resilience;

namespace RunEngine.Data.IntegrationTests.Infrastructure;

/// <summary>
/// A retry engine that simulates a COMMIT whose reply was lost: it runs the body's first attempt fully (its commit
/// holds), optionally lets the test undo what it stored (as if the commit had not held), then runs the body again as
/// attempt 2 with <see cref="OperationAttempt.EarlierMayHaveCommitted"/> and returns that attempt's result — what the
/// caller would get from the real engine after the reply was lost.
/// </summary>
internal sealed class LostReplyRetry : OperationRetry
{
    private readonly Func<Task>? _afterFirstAttempt;

    public LostReplyRetry(OperationRetry real, Func<Task>? afterFirstAttempt = null)
        : base(real.Options, null, real.Diagnostics, real.Classify, real.Clock)
    {
        _afterFirstAttempt = afterFirstAttempt;
    }

    /// <summary>The simulation is armed for the next operation only (the test's own reads run normally).</summary>
    public bool Armed { get; set; } = true;

    /// <summary>What the first attempt returned.</summary>
    public object? FirstResult { get; private set; }

    /// <summary>Whether the first attempt marked its commit as sent.</summary>
    public bool FirstSentCommit { get; private set; }

    public override async Task<T> RunAsync<T>(
        IScopeFactory scopes, string operation, Func<OperationAttempt, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        if (!Armed || !scopes.Retryable)
        {
            return await base.RunAsync(scopes, operation, body, cancellationToken);
        }

        Armed = false;
        var first = new OperationAttempt(1, earlierMayHaveCommitted: false);
        var firstResult = await body(first, cancellationToken);
        FirstResult = firstResult;
        FirstSentCommit = first.CommitSent;
        if (_afterFirstAttempt is not null)
        {
            await _afterFirstAttempt();
        }

        var lost = new SimulatedConnectionBrokenException();
        var call = new RetryCall(this, operation, retrying: true, cancellationToken, attempts: 2);
        try
        {
            return await body(new OperationAttempt(2, earlierMayHaveCommitted: true) { PreviousError = lost }, cancellationToken);
        }
        catch (Exception ex) when (call.ShouldSurface(ex))
        {
            // As the real engine gives up on a transient error (the second attempt is the last one here).
            throw call.GiveUp(ex);
        }
    }

    /// <summary>Installs a simulation on <paramref name="database"/>; dispose the result to put the real engine back.</summary>
    public static Installed Install(RunEngineDatabase database, Func<Task>? afterFirstAttempt = null)
    {
        var real = database.Provider.Retry;
        var simulation = new LostReplyRetry(real, afterFirstAttempt);
        database.Provider.Retry = simulation;
        return new Installed(database, real, simulation);
    }

    /// <summary>A simulation in place until disposed.</summary>
    internal sealed class Installed(RunEngineDatabase database, OperationRetry real, LostReplyRetry simulation) : IDisposable
    {
        public LostReplyRetry Simulation { get; } = simulation;

        public void Dispose() => database.Provider.Retry = real;
    }
}
