namespace RunEngine.Data;

/// <summary>
/// How the library retries an operation that failed with a transient error (a deadlock victim, a failover, a killed
/// connection, a busy SQLite database; see <see cref="RunEngineDatabase.IsTransient"/>) on its own pooled connection:
/// exponential backoff with jitter, a bounded number of retries and a bounded total time. Never inside a session or a
/// joined transaction (there the error surfaces as a <see cref="TransientFaultException"/>). See
/// <c>docs/transactions-and-retries.md</c>.
/// </summary>
public sealed class RetryOptions
{
    /// <summary>The most <see cref="MaxRetries"/> allows: 100.</summary>
    public const int MaxRetriesLimit = 100;

    /// <summary>
    /// Whether operations are retried. Default true. When false each operation runs once, and a transient error
    /// surfaces as a <see cref="TransientFaultException"/> (its <see cref="TransientFaultException.Attempts"/> is 1).
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Retries after the first attempt. Default 4 (five attempts in all). From 0 (no retry) to <see cref="MaxRetriesLimit"/>.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>
    /// The wait before the first retry; each further retry waits about twice as long (with random jitter), up to
    /// <see cref="MaxDelay"/>. Default 100 milliseconds. Must not be negative nor more than <see cref="MaxDelay"/>.
    /// </summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two attempts. Default 2 seconds. At least <see cref="BaseDelay"/>, at most one day.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The bound on the whole call, waits included: no retry starts when the time since the call began plus the wait
    /// before it would pass this bound; the call then gives up with the last error. A running attempt is never cut
    /// (its statements are bounded by <see cref="RunEngineOptions.CommandTimeout"/> and
    /// <see cref="BulkInsertOptions.Timeout"/>), so a long bulk write is never cancelled half-way by this bound.
    /// Default 30 seconds. Must be positive and at most <see cref="BulkInsertOptions.MaxTimeout"/>.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="ArgumentException"/> when an option is out of range.</summary>
    internal void Validate()
    {
        if (MaxRetries is < 0 or > MaxRetriesLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, $"Retry.MaxRetries must be from 0 to {MaxRetriesLimit}.");
        }

        if (MaxDelay < TimeSpan.Zero || MaxDelay > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "Retry.MaxDelay must not be negative nor more than one day.");
        }

        if (BaseDelay < TimeSpan.Zero || BaseDelay > MaxDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(BaseDelay), BaseDelay, "Retry.BaseDelay must not be negative nor more than Retry.MaxDelay.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > BulkInsertOptions.MaxTimeout)
        {
            throw new ArgumentOutOfRangeException(
                nameof(Timeout), Timeout, "Retry.Timeout must be positive and at most BulkInsertOptions.MaxTimeout (int.MaxValue milliseconds, about 24.8 days).");
        }
    }

    /// <summary>A copy (the options a database was created with are its own).</summary>
    internal RetryOptions Clone() => new()
    {
        Enabled = Enabled,
        MaxRetries = MaxRetries,
        BaseDelay = BaseDelay,
        MaxDelay = MaxDelay,
        Timeout = Timeout,
    };
}
