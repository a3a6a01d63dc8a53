using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace RunEngine.Data;

/// <summary>Options shared by every provider. Provider packages extend it with their own settings.</summary>
public class RunEngineOptions
{
    /// <summary>
    /// Schema holding the library's tables. Default null: the provider's default schema (SQL Server <c>dbo</c>,
    /// PostgreSQL <c>public</c>, SQLite <c>main</c>). Must be a plain identifier (letters, digits, underscore; it is quoted).
    /// </summary>
    public string? Schema { get; set; }

    /// <summary>
    /// Prefix of the library's table names. Default <c>re_</c> (tables <c>re_stories</c>, <c>re_cards</c>,
    /// <c>re_schema_version</c>). May be empty; otherwise a plain identifier of at most 40 characters.
    /// </summary>
    public string TablePrefix { get; set; } = "re_";

    /// <summary>Timeout of ordinary statements (reads, updates, deletes, schema scripts). Default 30 seconds; <see cref="TimeSpan.Zero"/> means no limit. At most <see cref="BulkInsertOptions.MaxTimeout"/>.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Clock for timestamps and id generation. Default <see cref="TimeProvider.System"/>. Leases use it only when
    /// <see cref="LeaseClock"/> is <see cref="RunEngine.Data.LeaseClock.Host"/>.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Whose clock leases run on: claims, renewals, completions and releases (their expiry test, the new expiry, and
    /// the <c>updated_at</c> and run-log <c>occurred_at</c> they write). Default <see cref="RunEngine.Data.LeaseClock.Database"/>:
    /// the database server's time, so hosts sharing a run need no synchronized clocks.
    /// <see cref="RunEngine.Data.LeaseClock.Host"/> uses <see cref="TimeProvider"/> instead (tests with a fake clock).
    /// </summary>
    public LeaseClock LeaseClock { get; set; } = LeaseClock.Database;

    /// <summary>
    /// Where the library's log events go (category <c>RunEngine.Data</c>, event ids 1000 to 1099; see
    /// <c>docs/observability.md</c>). Default <see cref="NullLoggerFactory.Instance"/>: no logging.
    /// <c>AddRunEngineData</c> sets it from the container.
    /// </summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>
    /// How operations on the library's own connections are retried after a transient error (see
    /// <see cref="RetryOptions"/> for each default: on, 4 retries, 100 ms to 2 s exponential backoff with jitter, 30 s
    /// in all). Sessions and joined transactions are never retried. Must not be null.
    /// </summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>
    /// A Polly pipeline that replaces the one built from <see cref="Retry"/> (for example one from
    /// <c>Microsoft.Extensions.Resilience</c> with your own telemetry). Default null: the built one. The library still
    /// numbers the attempts, tells each whether an earlier one may have committed, never runs a body again that cannot
    /// be repeated, and turns the transient error it ends with into a <see cref="TransientFaultException"/>; which
    /// errors are retried, and how long to wait, is the pipeline's (use <see cref="RunEngineDatabase.IsTransient"/> in
    /// its predicate). <see cref="RetryOptions.Enabled"/> = false still turns retry off.
    /// </summary>
    public ResiliencePipeline? RetryPipeline { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> when an option is out of range.</summary>
    protected internal virtual void Validate()
    {
        // The same bound as BulkInsertOptions.MaxTimeout: beyond it PostgreSQL's timers fail inside Npgsql with a raw
        // ArgumentOutOfRangeException ('delay') on the first statement, while SQLite accepts it.
        if (CommandTimeout < TimeSpan.Zero || CommandTimeout > BulkInsertOptions.MaxTimeout)
        {
            throw new ArgumentOutOfRangeException(
                nameof(CommandTimeout), CommandTimeout, "CommandTimeout must not be negative nor more than BulkInsertOptions.MaxTimeout (int.MaxValue milliseconds, about 24.8 days); TimeSpan.Zero means no limit.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException("TimeProvider must not be null.", nameof(TimeProvider));
        }

        if (!Enum.IsDefined(LeaseClock))
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseClock), LeaseClock, "LeaseClock must be Database or Host.");
        }

        if (LoggerFactory is null)
        {
            throw new ArgumentException("LoggerFactory must not be null; use NullLoggerFactory.Instance for no logging.", nameof(LoggerFactory));
        }

        if (TablePrefix is null)
        {
            throw new ArgumentException("TablePrefix must not be null; use an empty string for no prefix.", nameof(TablePrefix));
        }

        if (Retry is null)
        {
            throw new ArgumentException("Retry must not be null; set Retry.Enabled = false for no retry.", nameof(Retry));
        }

        Retry.Validate();
    }
}
