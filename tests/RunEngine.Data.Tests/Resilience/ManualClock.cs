namespace RunEngine.Data.Tests.Resilience;

/// <summary>
/// A clock whose elapsed time the test moves by hand, while timers (the retry waits) stay real and short: the time
/// bound is tested without sleeping for it.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
