using Polly;
using Polly.Retry;
using RunEngine.Data.Diagnostics;
using RunEngine.Data.Repositories;

namespace RunEngine.Data.Resilience;

/// <summary>
/// Runs a repository operation's body, once per attempt, through a Polly <see cref="ResiliencePipeline"/>: the
/// library's retry of transient faults (<see cref="RetryOptions"/>: exponential backoff with jitter, bounded retries
/// and total time), or the pipeline the host set (<see cref="RunEngineOptions.RetryPipeline"/>). Retries happen only on
/// the library's own connection and transaction (<see cref="IScopeFactory.Retryable"/>); inside a session or a caller's
/// transaction the body runs once. A transient error the engine gives up on surfaces as a
/// <see cref="TransientFaultException"/> (or <see cref="CommitOutcomeUnknownException"/>); any other error as it is.
/// </summary>
/// <remarks>
/// This is the seam every operation is written against: the body takes the attempt and the token, opens its own scope
/// from the factory, marks <see cref="OperationAttempt.MarkCommitSent"/> before its commit, and is safe to run again
/// (see <see cref="OperationAttempt"/>). Each retry is counted (<c>runengine.retries</c>), added as an event to the
/// span current when the operation began, and logged at Warning (event 1040); giving up is logged too (1041).
/// </remarks>
internal class OperationRetry
{
    /// <summary>Where the built pipeline's retry predicate finds the call it decides for.</summary>
    internal static readonly ResiliencePropertyKey<RetryCall> CallKey = new("RunEngine.Data.RetryCall");

    /// <summary>Runs each body once (no retry); a transient error still surfaces as a <see cref="TransientFaultException"/>.</summary>
    public static readonly OperationRetry None = new(
        new RetryOptions { Enabled = false },
        pipeline: null,
        new ProviderDiagnostics(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, "unknown", string.Empty),
        static ex => TransientErrors.Reason(ex));

    private readonly ResiliencePipeline _pipeline;

    /// <param name="options">The retry options (copied).</param>
    /// <param name="pipeline">The host's pipeline, replacing the one built from <paramref name="options"/>; null to build it.</param>
    /// <param name="diagnostics">The database's logger and telemetry tags.</param>
    /// <param name="classify">The provider's reading of an error: why it is transient, or null.</param>
    /// <param name="clock">
    /// The clock of the waits and of the time bound. Default <see cref="TimeProvider.System"/>, not the options' clock:
    /// a host (or test) that fakes time for timestamps and leases must not see a retry wait forever.
    /// </param>
    public OperationRetry(
        RetryOptions options, ResiliencePipeline? pipeline, ProviderDiagnostics diagnostics, Func<Exception, string?> classify, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diagnostics);
        ArgumentNullException.ThrowIfNull(classify);
        options.Validate();
        Options = options.Clone();
        Diagnostics = diagnostics;
        Classify = classify;
        Clock = clock ?? TimeProvider.System;
        IsCustom = pipeline is not null;
        _pipeline = pipeline ?? Build(Options, Clock);
    }

    /// <summary>The options (a copy of the database's).</summary>
    public RetryOptions Options { get; }

    /// <summary>The database's logger and telemetry tags.</summary>
    public ProviderDiagnostics Diagnostics { get; }

    /// <summary>Why an error is transient, or null when it is not.</summary>
    public Func<Exception, string?> Classify { get; }

    /// <summary>The clock of the waits and of <see cref="RetryOptions.Timeout"/>.</summary>
    public TimeProvider Clock { get; }

    /// <summary>Whether the pipeline is the host's (<see cref="RunEngineOptions.RetryPipeline"/>).</summary>
    public bool IsCustom { get; }

    /// <summary>
    /// Runs <paramref name="body"/> until it succeeds, its error is not transient, the body cannot run again, or the
    /// retries or the time bound run out.
    /// </summary>
    /// <param name="scopes">Where the body's connections come from; no retry unless <see cref="IScopeFactory.Retryable"/>.</param>
    /// <param name="operation">The operation's telemetry name (for example <c>TelemetryTags.UpdateStatus</c>).</param>
    /// <param name="body">The operation, run once per attempt.</param>
    /// <param name="cancellationToken">Cancels the operation and any wait between attempts (never retried).</param>
    public virtual async Task<T> RunAsync<T>(
        IScopeFactory scopes, string operation, Func<OperationAttempt, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(body);
        var call = new RetryCall(this, operation, retrying: Options.Enabled && scopes.Retryable, cancellationToken);
        if (!call.Retrying)
        {
            try
            {
                return await call.AttemptAsync(body, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (call.ShouldSurface(ex))
            {
                throw call.GiveUp(ex);
            }
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CallKey, call);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (ctx, state) => state.Call.AttemptAsync(state.Body, ctx.CancellationToken), context, (Call: call, Body: body)).ConfigureAwait(false);
        }
        catch (Exception ex) when (call.ShouldSurface(ex))
        {
            throw call.GiveUp(ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// What a streaming read throws when a row after the first failed (it cannot be retried: rows were already
    /// yielded): a <see cref="TransientFaultException"/> for a transient error, null to let any other error through.
    /// </summary>
    public TransientFaultException? SurfaceAfterFirstRow(Exception error, string operation, int attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var call = new RetryCall(this, operation, retrying: false, cancellationToken, attempts, streamed: true);
        return call.ShouldSurface(error) ? call.GiveUp(error) : null;
    }

    /// <summary>
    /// What a session's own COMMIT throws when it failed with a transient error: a <see cref="CommitOutcomeUnknownException"/>
    /// (the commit was sent; nothing can tell whether it held), null to let any other error through.
    /// </summary>
    public TransientFaultException? SurfaceCommit(Exception error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var call = new RetryCall(this, TelemetryTags.Commit, retrying: false, cancellationToken, attempts: 1, commitSent: true);
        return call.ShouldSurface(error) ? call.GiveUp(error) : null;
    }

    private static ResiliencePipeline Build(RetryOptions options, TimeProvider clock)
    {
        if (!options.Enabled || options.MaxRetries == 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { Name = "RunEngine.Data", TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                Name = "RunEngine.Data.Retry",
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = static args => new ValueTask<bool>(
                    args.Outcome.Exception is { } error
                    && args.Context.Properties.TryGetValue(CallKey, out var call)
                    && call.ShouldRetry(error, args.AttemptNumber)),
            })
            .Build();
    }
}
