using RunEngine.Data.Perf.Measurement;
using RunEngine.Data.Testing;

namespace RunEngine.Data.Perf.Targets.Postgres;

/// <summary>
/// Counts statements on the wire: a loopback relay between Npgsql and the server (<see cref="PgFrontendRelay"/>, shared
/// with the integration tests) that counts each Execute ('E', one per statement of the extended protocol, including the
/// BEGIN, SAVEPOINT and COMMIT that Npgsql sends on its own) and each simple Query ('Q', which COPY uses). Npgsql's
/// ActivitySource cannot do this: version 9 traces neither COPY nor transaction control. Only the untimed counting run
/// goes through the relay (the target switches to a second data source and library instance pointing at it); the timed
/// runs connect directly. The relay needs plain TCP, so its connection string disables TLS; Unix-socket hosts are not
/// relayed and report no count.
/// </summary>
internal sealed class PgWireCounter : PgFrontendRelay, IStatementCounter
{
    private static readonly bool Trace = Environment.GetEnvironmentVariable("PERF_WIRE_TRACE") == "1";
    private long _count;

    public PgWireCounter(string upstreamHost, int upstreamPort)
        : base(upstreamHost, upstreamPort)
    {
    }

    public bool Active { get; private set; }

    public string Source => "PostgreSQL wire protocol, counted by a loopback relay: Execute + Query messages (every statement, COPY and transaction control included)";

    public void Start()
    {
        Interlocked.Exchange(ref _count, 0);
        Active = true;
    }

    public long Stop()
    {
        Active = false;
        return Interlocked.Read(ref _count);
    }

    protected override void OnMessage(char type, ReadOnlySpan<byte> body)
    {
        if (!Active)
        {
            return;
        }

        if (type is 'E' or 'Q')
        {
            Interlocked.Increment(ref _count);
        }

        if (Trace && type is 'P' or 'Q' or 'E')
        {
            // PERF_WIRE_TRACE=1: show what is counted (statement texts only, never parameter values).
            var text = type == 'E' ? string.Empty : System.Text.Encoding.UTF8.GetString(body[..Math.Min(body.Length, 120)]).Replace('\0', ' ');
            Console.Error.WriteLine($"wire {type} {text}");
        }
    }
}
