namespace RunEngine.Data;

/// <summary>Options of a set-based status change.</summary>
public sealed class StatusChangeOptions
{
    /// <summary>The defaults: <see cref="StatusChangeMode.AllOrNothing"/>, no timeout.</summary>
    public static StatusChangeOptions Default { get; } = new();

    /// <summary>Apply the changes that match and report the others (<see cref="StatusChangeMode.ApplyWhatMatches"/>).</summary>
    public static StatusChangeOptions ApplyWhatMatches { get; } = new() { Mode = StatusChangeMode.ApplyWhatMatches };

    /// <summary>What happens when some changes do not match. Default <see cref="StatusChangeMode.AllOrNothing"/>.</summary>
    public StatusChangeMode Mode { get; init; } = StatusChangeMode.AllOrNothing;

    /// <summary>
    /// Time allowed for the whole set-based change (staging, loading the changes, waiting for the rows' locks, the update
    /// and its run-log entries), as <see cref="BulkInsertOptions.Timeout"/> is for a bulk insert: the same limit, applied
    /// the same way on each provider, and the same error when it runs out (nothing of the batch is changed). Default
    /// null: no limit (use the cancellation token to stop it); <see cref="RunEngineOptions.CommandTimeout"/> does not
    /// apply, so a large batch on a busy server is not cut off by the ordinary statements' limit. Must be positive and
    /// at most <see cref="BulkInsertOptions.MaxTimeout"/> when set.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="Mode"/> is not a defined value, or <see cref="Timeout"/> is set but not positive or longer than
    /// <see cref="BulkInsertOptions.MaxTimeout"/>.
    /// </exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Mode must be a defined StatusChangeMode value.");
        }

        if (Timeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > BulkInsertOptions.MaxTimeout))
        {
            throw new ArgumentOutOfRangeException(
                nameof(Timeout), timeout, "Timeout must be positive and at most BulkInsertOptions.MaxTimeout (int.MaxValue milliseconds, about 24.8 days) when set; null means no limit.");
        }
    }

    /// <summary>The timeout in whole seconds for ADO.NET APIs, where 0 means no limit (as <c>BulkInsertOptions.TimeoutSeconds</c>).</summary>
    internal int TimeoutSeconds => Timeout is { } t ? Math.Max(1, (int)Math.Ceiling(t.TotalSeconds)) : 0;
}
