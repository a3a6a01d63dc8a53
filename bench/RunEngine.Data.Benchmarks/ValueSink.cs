namespace RunEngine.Data.Benchmarks;

/// <summary>Consumes values so the JIT cannot drop the reads; a stand-in for a bulk protocol's typed writes.</summary>
internal sealed class ValueSink
{
    public long Checksum { get; private set; }

    public void Write(Guid value) => Checksum += value.GetHashCode();

    public void Write(int value) => Checksum += value;

    public void Write(short value) => Checksum += value;

    public void Write(DateTimeOffset value) => Checksum += value.UtcTicks;

    public void Write(string? value) => Checksum += value?.Length ?? -1;

    public void Write(object? value) => Checksum += value is null ? -1 : 1;
}
