using System.Collections.Concurrent;
using System.Text;
using RunEngine.Data.Testing;

namespace RunEngine.Data.IntegrationTests.Infrastructure;

/// <summary>
/// Records the frontend messages a <see cref="PgFrontendRelay"/> passes on: each message's type and, for Query ('Q')
/// and Parse ('P'), the statement text (never Bind's parameter values). A round trip is a Sync ('S', the end of an
/// extended-protocol exchange) or a simple Query: the client then waits for ReadyForQuery.
/// </summary>
public sealed class PgWireCounter : PgFrontendRelay
{
    private readonly ConcurrentQueue<(char Type, string Text)> _messages = new();
    private volatile bool _recording;

    public PgWireCounter(string upstreamHost, int upstreamPort)
        : base(upstreamHost, upstreamPort)
    {
    }

    /// <summary>A connection string that goes through the relay (host, port, TLS off; the rest as given).</summary>
    public string Relay(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port, SslMode = Npgsql.SslMode.Disable }.ConnectionString;

    /// <summary>Forgets what was recorded and starts recording.</summary>
    public void Start()
    {
        _messages.Clear();
        _recording = true;
    }

    /// <summary>Stops recording and returns the messages since <see cref="Start"/>, in the order they were relayed.</summary>
    public IReadOnlyList<(char Type, string Text)> Stop()
    {
        _recording = false;
        return _messages.ToArray();
    }

    /// <summary>
    /// A relay to the server of <paramref name="connectionString"/>; the test is skipped when that server is reached over
    /// a Unix socket (the relay needs a TCP host).
    /// </summary>
    public static PgWireCounter For(string connectionString)
    {
        var server = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        Skip.If(server.Host is null || server.Host.StartsWith('/'), "The relay needs a TCP host.");
        return new PgWireCounter(server.Host!, server.Port);
    }

    /// <summary>Round trips, Executes and Queries of <paramref name="messages"/>, and the texts sent (Parse and Query, each cut at <paramref name="width"/>).</summary>
    public static string Describe(IReadOnlyList<(char Type, string Text)> messages, int width = 40) =>
        $"{RoundTrips(messages)} round trip(s), {messages.Count(m => m.Type == 'E')} Execute, {messages.Count(m => m.Type == 'Q')} Query " +
        $"[{string.Join(" | ", messages.Where(m => m.Type is 'P' or 'Q').Select(m => $"{m.Type}:{(m.Text.Length > width ? m.Text[..width] : m.Text)}"))}]";

    /// <summary>Round trips among <paramref name="messages"/>: Syncs plus simple Queries.</summary>
    public static int RoundTrips(IEnumerable<(char Type, string Text)> messages) => messages.Count(m => m.Type is 'S' or 'Q');

    protected override void OnMessage(char type, ReadOnlySpan<byte> body)
    {
        if (_recording)
        {
            _messages.Enqueue((type, type switch
            {
                'Q' => Encoding.UTF8.GetString(body).TrimEnd('\0'),
                // Parse: statement name, NUL, query text, NUL, parameter types.
                'P' => Encoding.UTF8.GetString(body).Split('\0')[1],
                _ => string.Empty,
            }));
        }
    }
}
