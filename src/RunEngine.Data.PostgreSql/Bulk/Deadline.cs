namespace RunEngine.Data.PostgreSql.Bulk;

/// <summary>The end of the time allowed for one whole bulk insert (<see cref="BulkInsertOptions.Timeout"/>), read from the configured clock.</summary>
internal readonly struct Deadline
{
    private readonly TimeProvider? _time;
    private readonly long _started;
    private readonly TimeSpan _timeout;

    private Deadline(TimeProvider time, TimeSpan timeout)
    {
        _time = time;
        _started = time.GetTimestamp();
        _timeout = timeout;
    }

    /// <summary>A deadline <paramref name="timeout"/> from now; none when <paramref name="timeout"/> is null.</summary>
    public static Deadline Start(TimeSpan? timeout, TimeProvider time) => timeout is { } t ? new Deadline(time, t) : default;

    /// <summary>Throws <see cref="TimeoutException"/> once the time allowed has passed.</summary>
    public void ThrowIfExpired(string table) => Remaining(table);

    /// <summary>The time left; null without a deadline. Throws <see cref="TimeoutException"/> once none is left.</summary>
    public TimeSpan? Remaining(string table)
    {
        if (_time is null)
        {
            return null;
        }

        var left = _timeout - _time.GetElapsedTime(_started);
        if (left <= TimeSpan.Zero)
        {
            throw new TimeoutException($"The bulk insert into {table} did not finish within its timeout of {_timeout}.");
        }

        return left;
    }
}
