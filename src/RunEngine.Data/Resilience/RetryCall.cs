using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using RunEngine.Data.Diagnostics;

namespace RunEngine.Data.Resilience;

/// <summary>
/// One call of <see cref="OperationRetry.RunAsync{T}"/>: numbers its attempts, remembers whether an earlier one sent
/// its commit (and hands that to the next as <see cref="OperationAttempt.EarlierMayHaveCommitted"/>), decides whether
/// a failed attempt is retried, and builds the exception the call gives up with.
/// </summary>
internal sealed class RetryCall
{
    private readonly OperationRetry _engine;
    private readonly CancellationToken _callerToken;
    private readonly long _started;
    private readonly Activity? _span;
    private readonly bool _streamed;
    private Exception? _last;
    private Exception? _stop;
    private string? _stopWhy;
    private bool _unknownCommit;

    public RetryCall(
        OperationRetry engine, string operation, bool retrying, CancellationToken callerToken, int attempts = 0, bool streamed = false, bool commitSent = false)
    {
        _unknownCommit = commitSent;
        _engine = engine;
        Operation = operation;
        Retrying = retrying;
        _callerToken = callerToken;
        _started = engine.Clock.GetTimestamp();
        _span = Activity.Current;
        Attempts = attempts;
        _streamed = streamed;
    }

    /// <summary>The operation's telemetry name.</summary>
    public string Operation { get; }

    /// <summary>Whether failed attempts may be retried (retry on, and the library's own connection).</summary>
    public bool Retrying { get; }

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; private set; }

    /// <summary>Runs the body once as the next attempt.</summary>
    public async ValueTask<T> AttemptAsync<T>(Func<OperationAttempt, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        if (_stop is not null)
        {
            // A host's pipeline may retry what ours would not (a lazy input already read, a non-transient error): the
            // body is not run again, the attempt fails the same way.
            ExceptionDispatchInfo.Throw(_stop);
        }

        var number = ++Attempts;
        if (number > 1 && _last is not null)
        {
            RetryTelemetry.Retrying(_engine.Diagnostics, _span, Operation, number, _last, _engine.Classify(_last) ?? TransientErrors.Driver, _unknownCommit);
        }

        var attempt = new OperationAttempt(number, _unknownCommit) { PreviousError = _last };
        try
        {
            return await body(attempt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _last = ex;
            if (attempt.EarlierResolved)
            {
                _unknownCommit = false;
            }

            if (attempt.CommitSent)
            {
                _unknownCommit = true;
            }

            if (!attempt.Repeatable)
            {
                Stop(ex, attempt.NotRepeatableReason ?? "it cannot be repeated (its lazy input was already read, or its own BulkInsertOptions.Timeout ran out)");
            }
            else if (_callerToken.IsCancellationRequested || _engine.Classify(ex) is null)
            {
                Stop(ex, null);
            }

            throw;
        }
    }

    /// <summary>The built pipeline's predicate: whether the attempt numbered <paramref name="attemptNumber"/> (from 0) is retried.</summary>
    public bool ShouldRetry(Exception error, int attemptNumber)
    {
        if (_stop is not null || _callerToken.IsCancellationRequested || _engine.Classify(error) is null)
        {
            return false;
        }

        // The nominal wait before this retry (Polly's exponential backoff before jitter): no retry starts when it would
        // end past the bound on the whole call.
        var options = _engine.Options;
        var nominal = TimeSpan.FromTicks((long)Math.Min(options.MaxDelay.Ticks, options.BaseDelay.Ticks * Math.Pow(2, Math.Min(attemptNumber, 62))));
        if (_engine.Clock.GetElapsedTime(_started) + nominal >= options.Timeout)
        {
            _stopWhy = string.Create(CultureInfo.InvariantCulture, $"the retries reached the time bound (Retry.Timeout, {options.Timeout.TotalSeconds:0.###} s)");
            return false;
        }

        return true;
    }

    /// <summary>Whether <paramref name="error"/>, which ended the call, becomes a <see cref="TransientFaultException"/>.</summary>
    public bool ShouldSurface(Exception error) =>
        error is not TransientFaultException && !_callerToken.IsCancellationRequested && _engine.Classify(error) is not null;

    /// <summary>The exception the call ends with for the transient <paramref name="error"/>.</summary>
    public TransientFaultException GiveUp(Exception error)
    {
        var reason = _engine.Classify(error) ?? TransientErrors.Driver;
        var attempts = Math.Max(Attempts, 1);
        var why = _streamed
            ? "rows were already returned, so the read cannot be repeated"
            : _stopWhy ?? (!Retrying
                ? _engine.Options.Enabled ? "not retried: it ran on a session's or a caller's connection" : "not retried: retry is off (Retry.Enabled)"
                : attempts > _engine.Options.MaxRetries || _engine.IsCustom ? "the retries ran out" : "it could not be retried");
        var outcome = _unknownCommit
            ? "Its commit was sent and the reply was lost; whether it is stored could not be found out."
            : "Its transaction was rolled back: nothing of it was committed.";
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{_engine.Diagnostics.SystemName} {Operation} failed with a transient error ({reason}) after {attempts} attempt{(attempts == 1 ? string.Empty : "s")}; {why}. {outcome}");
        RetryTelemetry.GaveUp(_engine.Diagnostics, Operation, attempts, error, reason, _unknownCommit);
        return _unknownCommit
            ? new CommitOutcomeUnknownException(message, error, attempts, Operation)
            : new TransientFaultException(message, error, attempts, Operation);
    }

    private void Stop(Exception error, string? why)
    {
        _stop = error;
        _stopWhy ??= why;
    }
}
