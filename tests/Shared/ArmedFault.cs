namespace RunEngine.Data.Testing;

/// <summary>A fault armed in a <see cref="FaultProxy"/>, with what it counts per connection (bytes, CopyData messages) since arming.</summary>
internal sealed class ArmedFault(WireFault fault)
{
    private readonly Dictionary<int, long> _counts = [];

    public WireFault Fault { get; } = fault;

    /// <summary>Adds <paramref name="amount"/> to the connection's count and returns the count before and after.</summary>
    public (long Before, long After) Add(int connection, long amount)
    {
        _counts.TryGetValue(connection, out var before);
        _counts[connection] = before + amount;
        return (before, before + amount);
    }
}
