namespace RunEngine.Data.Mapping;

/// <summary>Timestamp normalization shared by all providers.</summary>
internal static class Timestamps
{
    private const long TicksPerMicrosecond = 10;

    /// <summary>
    /// Converts to UTC and truncates to whole microseconds, the finest precision every provider keeps
    /// (PostgreSQL's timestamptz), so a value reads back equal to what was written on every database.
    /// </summary>
    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var utcTicks = value.UtcTicks;
        return new DateTimeOffset(utcTicks - (utcTicks % TicksPerMicrosecond), TimeSpan.Zero);
    }

    /// <summary>Returns <paramref name="value"/> normalized, or <paramref name="fallback"/> when it was never set.</summary>
    public static DateTimeOffset OrDefault(DateTimeOffset value, DateTimeOffset fallback) =>
        value == default ? fallback : Normalize(value);
}
