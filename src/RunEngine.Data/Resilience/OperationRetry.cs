using RunEngine.Data.Repositories;

namespace RunEngine.Data.Resilience;

/// <summary>
/// Runs a repository operation's body, once per attempt. Retries happen only on the library's own connection and
/// transaction (<see cref="IScopeFactory.Retryable"/>); inside a session or a caller's transaction the body runs once
/// and its error surfaces.
/// </summary>
/// <remarks>
/// This is the seam every operation is written against: the body takes the attempt and the token, opens its own scope
/// from the factory, marks <see cref="OperationAttempt.MarkCommitSent"/> before its commit, and is safe to run again.
/// The default instance (<see cref="None"/>) runs the body once.
/// </remarks>
internal class OperationRetry
{
    /// <summary>Runs each body once (no retry).</summary>
    public static readonly OperationRetry None = new();

    /// <summary>Runs <paramref name="body"/> until it succeeds, its error is not transient, or the attempts run out.</summary>
    /// <param name="scopes">Where the body's connections come from; no retry unless <see cref="IScopeFactory.Retryable"/>.</param>
    /// <param name="operation">The operation's telemetry name (for example <c>TelemetryTags.UpdateStatus</c>).</param>
    /// <param name="body">The operation, run once per attempt.</param>
    /// <param name="cancellationToken">Cancels the operation and any wait between attempts.</param>
    public virtual Task<T> RunAsync<T>(
        IScopeFactory scopes, string operation, Func<OperationAttempt, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body(OperationAttempt.First, cancellationToken);
    }
}
