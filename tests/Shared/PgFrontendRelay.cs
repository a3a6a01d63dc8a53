using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace RunEngine.Data.Testing;

/// <summary>
/// A loopback TCP relay between Npgsql and a PostgreSQL server that reads the frontend protocol's messages as it passes
/// them on and hands each typed message to <see cref="OnMessage"/>: the integration tests record them
/// (tests/RunEngine.Data.IntegrationTests/Infrastructure/PgWireCounter.cs), the perf runner counts them
/// (bench/RunEngine.Data.Perf/Targets/Postgres/PgWireCounter.cs). One source file, linked into both projects. The relay
/// needs plain TCP, so the relayed connection string disables TLS.
/// </summary>
public abstract class PgFrontendRelay : IDisposable
{
    private const int SslRequest = 80877103;
    private const int GssEncRequest = 80877104;
    private const int CancelRequest = 80877102;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private bool _disposed;

    protected PgFrontendRelay(string upstreamHost, int upstreamPort)
    {
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>The relay's port on 127.0.0.1.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

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
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// One typed frontend message, before it is passed on: its type byte and its body (what follows the length). Called
    /// on the relay's threads, one connection's messages in order.
    /// </summary>
    protected abstract void OnMessage(char type, ReadOnlySpan<byte> body);

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
            OnMessage(type, buffer.AsSpan(5, length - 4));
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
