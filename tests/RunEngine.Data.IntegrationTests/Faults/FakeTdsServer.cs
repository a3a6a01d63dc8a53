using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace RunEngine.Data.IntegrationTests.Faults;

/// <summary>
/// A loopback stand-in for SQL Server's framing only: it reads TDS packets (and TLS records), remembers each message's
/// type, counts the bytes it got, and answers each complete message with one response packet (type 0x04, EOM).
/// </summary>
internal sealed class FakeTdsServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<byte> _messages = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _bytes;

    public FakeTdsServer()
    {
        _listener.Start();
        _ = ServeAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The types of the complete messages received, in order.</summary>
    public IReadOnlyList<byte> Messages => [.. _messages];

    public long BytesReceived => Interlocked.Read(ref _bytes);

    public Task WaitClosedAsync() => _closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

    public void Dispose() => _listener.Stop();

    private async Task ServeAsync()
    {
        try
        {
            using var socket = await _listener.AcceptSocketAsync();
            await using var stream = new NetworkStream(socket);
            var buffer = new byte[70_000];
            while (true)
            {
                await ReadAsync(stream, buffer, 1);
                if (buffer[0] is >= 0x14 and <= 0x17)
                {
                    await ReadAsync(stream, buffer.AsMemory(1), 4);
                    await ReadAsync(stream, buffer.AsMemory(5), BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(3)));
                    continue;
                }

                await ReadAsync(stream, buffer.AsMemory(1), 7);
                var length = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2));
                await ReadAsync(stream, buffer.AsMemory(8), length - 8);
                if ((buffer[1] & 1) != 0)
                {
                    _messages.Enqueue(buffer[0]);
                    await stream.WriteAsync(new byte[] { 0x04, 0x01, 0x00, 0x0A, 0, 0, 1, 0, 0xFD, 0 });
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or EndOfStreamException or ObjectDisposedException)
        {
            _closed.TrySetResult();
        }
    }

    private async Task ReadAsync(Stream stream, Memory<byte> into, int count)
    {
        // Counted as they arrive, so a packet cut in the middle counts what came of it.
        for (var read = 0; read < count;)
        {
            var got = await stream.ReadAsync(into[read..count]);
            if (got == 0)
            {
                throw new EndOfStreamException();
            }

            Interlocked.Add(ref _bytes, got);
            read += got;
        }
    }
}
