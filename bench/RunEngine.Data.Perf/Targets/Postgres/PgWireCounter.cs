using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using RunEngine.Data.Perf.Measurement;

namespace RunEngine.Data.Perf.Targets.Postgres;

/// <summary>
/// Counts statements on the wire: a loopback relay between Npgsql and the server that reads the frontend protocol's
/// message types and counts each Execute ('E', one per statement of the extended protocol, including the BEGIN,
/// SAVEPOINT and COMMIT that Npgsql sends on its own) and each simple Query ('Q', which COPY uses). Npgsql's
/// ActivitySource cannot do this: version 9 traces neither COPY nor transaction control. Only the untimed counting run
/// goes through the relay (the target switches to a second data source and library instance pointing at it); the timed
/// runs connect directly. The relay needs plain TCP, so its connection string disables TLS; Unix-socket hosts are not
/// relayed and report no count.
/// </summary>
internal sealed class PgWireCounter : IStatementCounter
{
    private const int SslRequest = 80877103;
    private const int GssEncRequest = 80877104;
    private const int CancelRequest = 80877102;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private static readonly bool Trace = Environment.GetEnvironmentVariable("PERF_WIRE_TRACE") == "1";
    private long _count;
    private bool _disposed;

    public PgWireCounter(string upstreamHost, int upstreamPort)
    {
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

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

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
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

        // Startup phase: untyped messages (length, code), possibly an SSL or GSS request first (the server says no).
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

        // Typed messages: one type byte, then a length that counts itself.
        while (true)
        {
            await client.ReadExactlyAsync(buffer.AsMemory(0, 5), _stop.Token);
            var type = (char)buffer[0];
            var length = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(1));
            buffer = Ensure(buffer, length + 1);
            await client.ReadExactlyAsync(buffer.AsMemory(5, length - 4), _stop.Token);
            if (Active && type is 'E' or 'Q')
            {
                Interlocked.Increment(ref _count);
            }

            if (Trace && Active && type is 'P' or 'Q' or 'E')
            {
                // PERF_WIRE_TRACE=1: show what is counted (statement texts only, never parameter values).
                var text = type == 'E' ? string.Empty : System.Text.Encoding.UTF8.GetString(buffer, 5, Math.Min(length - 4, 120)).Replace('\0', ' ');
                await Console.Error.WriteLineAsync($"wire {type} {text}");
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
