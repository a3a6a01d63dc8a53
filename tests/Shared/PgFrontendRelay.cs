namespace RunEngine.Data.Testing;

/// <summary>
/// A <see cref="FaultProxy"/> between Npgsql and a PostgreSQL server that hands each typed frontend message to
/// <see cref="OnMessage"/> as it passes it on: the integration tests record them
/// (tests/RunEngine.Data.IntegrationTests/Infrastructure/PgWireCounter.cs), the perf runner counts them
/// (bench/RunEngine.Data.Perf/Targets/Postgres/PgWireCounter.cs). Faults can be armed on it like on any proxy. The relay
/// needs plain TCP, so the relayed connection string disables TLS.
/// </summary>
public abstract class PgFrontendRelay : FaultProxy
{
    protected PgFrontendRelay(string upstreamHost, int upstreamPort)
        : base(WireProtocol.PostgreSql, upstreamHost, upstreamPort)
    {
    }

    /// <summary>
    /// One typed frontend message, before it is passed on: its type byte and its body (what follows the length). Called
    /// on the relay's threads, one connection's messages in order.
    /// </summary>
    protected abstract void OnMessage(char type, ReadOnlySpan<byte> body);

    protected internal sealed override void OnClientMessage(byte type, ReadOnlySpan<byte> body) => OnMessage((char)type, body);
}
