using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RunEngine.Data.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback relay between Npgsql and the server that records the frontend messages it passes on (a test-side copy
/// of bench/RunEngine.Data.Perf/Targets/Postgres/PgWireCounter.cs, which counts them): each message's type and, for
/// Query ('Q') and Parse ('P'), the statement text (never Bind's parameter values). A round trip is a Sync ('S', the
/// end of an extended-protocol exchange) or a simple Query: the client then waits for ReadyForQuery. Plain TCP only,
/// so the relayed connection string disables TLS.
/// </summary>
public sealed class PgWireCounter : IDisposable
{
    private const int SslRequest = 80877103;
    private const int GssEncRequest = 80877104;
    private const int CancelRequest = 80877102;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(char Type, string Text)> _messages = new();
    private volatile bool _recording;

    public PgWireCounter(string upstreamHost, int upstreamPort)
    {
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>The relay's port on 127.0.0.1.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

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

    /// <summary>Round trips among <paramref name="messages"/>: Syncs plus simple Queries.</summary>
    public static int RoundTrips(IEnumerable<(char Type, string Text)> messages) => messages.Count(m => m.Type is 'S' or 'Q');

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var clientDisposal = client;
        using var server = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await server.ConnectAsync(_upstreamHost, _upstreamPort, _stop.Token);
            var fromClient = client.GetStream();
            var toServer = server.GetStream();
            var down = toServer.CopyToAsync(fromClient, _stop.Token);
            var up = PumpClientAsync(fromClient, toServer);
            await Task.WhenAny(down, up);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A closed connection ends its relay.
        }
    }

    private async Task PumpClientAsync(Stream client, Stream server)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            await client.ReadExactlyAsync(buffer.AsMemory(0, 8), _stop.Token);
            var length = BinaryPrimitives.ReadInt32BigEndian(buffer);
            var code = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(4));
            buffer = Ensure(buffer, length);
            await client.ReadExactlyAsync(buffer.AsMemory(8, length - 8), _stop.Token);
            await server.WriteAsync(buffer.AsMemory(0, length), _stop.Token);
            if (code is not (SslRequest or GssEncRequest))
            {
                if (code == CancelRequest)
                {
                    return;
                }

                break;
            }
        }

        while (true)
        {
            await client.ReadExactlyAsync(buffer.AsMemory(0, 5), _stop.Token);
            var type = (char)buffer[0];
            var length = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(1));
            buffer = Ensure(buffer, length + 1);
            await client.ReadExactlyAsync(buffer.AsMemory(5, length - 4), _stop.Token);
            if (_recording)
            {
                _messages.Enqueue((type, type switch
                {
                    'Q' => Encoding.UTF8.GetString(buffer, 5, length - 4).TrimEnd('\0'),
                    // Parse: statement name, NUL, query text, NUL, parameter types.
                    'P' => Encoding.UTF8.GetString(buffer, 5, length - 4).Split('\0')[1],
                    _ => string.Empty,
                }));
            }

            await server.WriteAsync(buffer.AsMemory(0, length + 1), _stop.Token);
            if (type == 'X')
            {
                return;
            }
        }
    }

    private static byte[] Ensure(byte[] buffer, int length)
    {
        if (length <= buffer.Length)
        {
            return buffer;
        }

        var larger = new byte[length];
        Buffer.BlockCopy(buffer, 0, larger, 0, 8);
        return larger;
    }
}
