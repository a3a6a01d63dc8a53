using RunEngine.Data.Testing;

namespace RunEngine.Data.Perf.Faults;

/// <summary>A <see cref="FaultProxy"/> that also counts what the client sends (for the random cut points of a dry-run-sized range).</summary>
internal sealed class CountingProxy(WireProtocol protocol, string host, int port) : FaultProxy(protocol, host, port)
{
    private long _bytes;
    private long _copyData;
    private long _bulk;

    public void Restart()
    {
        Interlocked.Exchange(ref _bytes, 0);
        Interlocked.Exchange(ref _copyData, 0);
        Interlocked.Exchange(ref _bulk, 0);
    }

    public ProxyCounts Counts => new(Interlocked.Read(ref _bytes), Interlocked.Read(ref _copyData), Interlocked.Read(ref _bulk));

    protected internal override void OnClientMessage(byte type, ReadOnlySpan<byte> body)
    {
        // PostgreSQL: type byte and length (5); TDS: the 8-byte packet header.
        var header = Protocol == WireProtocol.PostgreSql ? 5 : 8;
        Interlocked.Add(ref _bytes, body.Length + header);
        if (Protocol == WireProtocol.PostgreSql && type == (byte)'d')
        {
            Interlocked.Increment(ref _copyData);
        }

        if (Protocol == WireProtocol.Tds && type == 0x07)
        {
            Interlocked.Add(ref _bulk, body.Length + header);
        }
    }
}
