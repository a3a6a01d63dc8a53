using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace RunEngine.Data.Testing;

/// <summary>
/// One relayed connection of a <see cref="FaultProxy"/>: the client's socket, the server's, a pump each way. The
/// client's traffic is read unit by unit (<see cref="ClientUnit"/>) so faults can fire at protocol moments; the
/// server's is copied in chunks and followed by a <see cref="ReplyScanner"/>.
/// </summary>
internal sealed class RelayConnection : IDisposable
{
    private const int SslRequest = 80877103;
    private const int GssEncRequest = 80877104;
    private const int CancelRequest = 80877102;
    private const byte TdsSqlBatch = 0x01;
    private const byte TdsRpc = 0x03;
    private const byte TdsBulkLoad = 0x07;
    private const byte TdsTransactionManager = 0x0E;
    private const ushort TmCommitXact = 7;
    private const int MaxRemembered = 1024 * 1024;

    private readonly FaultProxy _proxy;
    private readonly Socket _client;
    private readonly Socket _server = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly ReplyScanner _replies;
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<TaskCompletionSource> _doneOnAbort = [];
    private volatile bool _holdReplies;
    private int _abortedFlag;

    public RelayConnection(FaultProxy proxy, int number, Socket client)
    {
        _proxy = proxy;
        Number = number;
        _client = client;
        _client.NoDelay = true;
        _replies = new ReplyScanner(proxy.Protocol);
    }

    public int Number { get; }

    /// <summary>Completes <paramref name="done"/> when this connection is cut (or ends).</summary>
    public void CompleteOnAbort(TaskCompletionSource done)
    {
        lock (_doneOnAbort)
        {
            _doneOnAbort.Add(done);
        }

        if (Volatile.Read(ref _abortedFlag) != 0)
        {
            CompleteAll();
        }
    }

    /// <summary>Aborts both sockets: linger 0, so the peers get a reset, not an orderly close.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _abortedFlag, 1) != 0)
        {
            return;
        }

        foreach (var socket in new[] { _client, _server })
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }

            socket.Dispose();
        }

        _aborted.TrySetResult();
        CompleteAll();
    }

    private void CompleteAll()
    {
        TaskCompletionSource[] done;
        lock (_doneOnAbort)
        {
            done = [.. _doneOnAbort];
            _doneOnAbort.Clear();
        }

        foreach (var tcs in done)
        {
            tcs.TrySetResult();
        }
    }

    public async Task RunAsync(string upstreamHost, int upstreamPort)
    {
        try
        {
            await _server.ConnectAsync(upstreamHost, upstreamPort, _proxy.Stopping);
            using var fromClient = new NetworkStream(_client, ownsSocket: false);
            using var toServer = new NetworkStream(_server, ownsSocket: false);
            var down = PumpServerAsync(toServer, fromClient);
            var up = _proxy.Protocol == WireProtocol.PostgreSql ? PumpPostgresClientAsync(fromClient, toServer) : PumpTdsClientAsync(fromClient, toServer);
            await Task.WhenAny(down, up, _aborted.Task);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A closed connection ends its relay.
        }
        finally
        {
            // Whichever side ended, the other goes too (an orderly close unless a fault aborted it already).
            Dispose();
            CompleteAll();
        }
    }

    /// <summary>Closes both sockets in order (nothing to do after <see cref="Abort"/>).</summary>
    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    private async Task PumpServerAsync(Stream server, Stream client)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await server.ReadAsync(buffer, _proxy.Stopping);
            if (read == 0)
            {
                return;
            }

            var pass = _proxy.DecideServerBytes(this, read);
            var replyEnded = _replies.Scan(buffer.AsSpan(0, read));
            if (_holdReplies)
            {
                // A fault waits for the server's reply to what it let through: drop the reply, and cut once it is whole.
                if (replyEnded)
                {
                    Abort();
                    return;
                }

                continue;
            }

            await client.WriteAsync(buffer.AsMemory(0, pass >= 0 ? pass : read), _proxy.Stopping);
            if (pass >= 0)
            {
                Abort();
                return;
            }
        }
    }

    /// <summary>Carries out the decision for one unit; false when the connection was cut.</summary>
    private async Task<bool> ForwardAsync(Stream server, ReadOnlyMemory<byte> unit, FaultFiring firing)
    {
        if (firing.Done is { } done)
        {
            // Whatever the action ends in (pass, cut, or this connection ending first), the fault is then over.
            CompleteOnAbort(done);
        }

        switch (firing.Kind)
        {
            case FiringKind.None:
                await server.WriteAsync(unit, _proxy.Stopping);
                return true;
            case FiringKind.CutBefore:
                Abort();
                return false;
            case FiringKind.PassThenCut:
                await server.WriteAsync(unit[..firing.PassBytes], _proxy.Stopping);
                await server.FlushAsync(_proxy.Stopping);
                Abort();
                return false;
            case FiringKind.CutAfterReply:
                _holdReplies = true;
                await server.WriteAsync(unit, _proxy.Stopping);
                return true;
            case FiringKind.StallThenPass:
                await Task.Delay(firing.Fault!.Stall, _proxy.Stopping);
                await server.WriteAsync(unit, _proxy.Stopping);
                firing.Done?.TrySetResult();
                return true;
            default:
                await Task.Delay(firing.Fault!.Stall, _proxy.Stopping);
                Abort();
                return false;
        }
    }

    private async Task PumpPostgresClientAsync(Stream client, Stream server)
    {
        var buffer = new byte[64 * 1024];

        // Startup phase: untyped packets (length, code), possibly an SSL or GSS request first (the server answers one byte).
        while (true)
        {
            await client.ReadExactlyAsync(buffer.AsMemory(0, 8), _proxy.Stopping);
            var length = BinaryPrimitives.ReadInt32BigEndian(buffer);
            var code = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(4));
            buffer = Ensure(buffer, length, 8);
            await client.ReadExactlyAsync(buffer.AsMemory(8, length - 8), _proxy.Stopping);
            if (code is SslRequest or GssEncRequest)
            {
                _replies.ExpectSingleByteAnswer();
            }

            var unit = new ClientUnit(length, true, false, false, false, null, "the startup packet");
            if (!await ForwardAsync(server, buffer.AsMemory(0, length), _proxy.Decide(this, unit)))
            {
                return;
            }

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
        var copyData = 0L;
        while (true)
        {
            await client.ReadExactlyAsync(buffer.AsMemory(0, 5), _proxy.Stopping);
            var type = buffer[0];
            var length = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(1));
            buffer = Ensure(buffer, length + 1, 5);
            await client.ReadExactlyAsync(buffer.AsMemory(5, length - 4), _proxy.Stopping);
            var body = buffer.AsSpan(5, length - 4);
            _proxy.OnClientMessage(type, body);

            var text = type switch
            {
                (byte)'Q' => Encoding.UTF8.GetString(body).TrimEnd('\0'),
                // Parse: statement name, NUL, query text, NUL, parameter types.
                (byte)'P' => Encoding.UTF8.GetString(body).Split('\0')[1],
                _ => null,
            };
            if (type == (byte)'d')
            {
                copyData++;
            }

            var unit = new ClientUnit(
                length + 1,
                IsMessageStart: true,
                IsCopyData: type == (byte)'d',
                IsBulkLoad: false,
                IsCommit: text is not null && text.TrimStart().StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase),
                ContainsText: text is null ? null : t => text.Contains(t, StringComparison.OrdinalIgnoreCase),
                Describe: type switch
                {
                    (byte)'d' => $"CopyData #{copyData} of the connection",
                    (byte)'Q' or (byte)'P' => $"{(char)type} '{Shorten(text!)}'",
                    _ => $"message '{(char)type}'",
                });
            if (!await ForwardAsync(server, buffer.AsMemory(0, length + 1), _proxy.Decide(this, unit)))
            {
                return;
            }

            if (type == (byte)'X')
            {
                return;
            }
        }
    }

    private async Task PumpTdsClientAsync(Stream client, Stream server)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        var inMessage = false;
        var messageType = (byte)0;
        while (true)
        {
            await client.ReadExactlyAsync(buffer.AsMemory(0, 1), _proxy.Stopping);
            if (buffer[0] is >= 0x14 and <= 0x17)
            {
                // A TLS record (the encrypted login): passed on as it is, no moment to find in it.
                await client.ReadExactlyAsync(buffer.AsMemory(1, 4), _proxy.Stopping);
                var recordLength = 5 + BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(3));
                buffer = Ensure(buffer, recordLength, 5);
                await client.ReadExactlyAsync(buffer.AsMemory(5, recordLength - 5), _proxy.Stopping);
                var record = new ClientUnit(recordLength, false, false, false, false, null, "a TLS record");
                if (!await ForwardAsync(server, buffer.AsMemory(0, recordLength), _proxy.Decide(this, record)))
                {
                    return;
                }

                continue;
            }

            await client.ReadExactlyAsync(buffer.AsMemory(1, 7), _proxy.Stopping);
            var type = buffer[0];
            var endOfMessage = (buffer[1] & 0x01) != 0;
            var length = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2));
            buffer = Ensure(buffer, length, 8);
            await client.ReadExactlyAsync(buffer.AsMemory(8, length - 8), _proxy.Stopping);
            var payload = buffer.AsSpan(8, length - 8);
            _proxy.OnClientMessage(type, payload);

            var start = !inMessage;
            if (start)
            {
                messageType = type;
                message.SetLength(0);
            }

            inMessage = !endOfMessage;
            if (type is TdsSqlBatch or TdsRpc or TdsTransactionManager && message.Length < MaxRemembered)
            {
                message.Write(payload);
            }

            var isCommit = false;
            Func<string, bool>? contains = null;
            if (endOfMessage)
            {
                var whole = message.ToArray();
                isCommit = messageType == TdsTransactionManager ? TransactionRequest(whole) == TmCommitXact
                    : messageType is TdsSqlBatch or TdsRpc && Utf16.ContainsWord(whole, "COMMIT");
                if (messageType is TdsSqlBatch or TdsRpc)
                {
                    contains = t => Utf16.Contains(whole, t);
                }
            }

            var unit = new ClientUnit(
                length,
                IsMessageStart: start,
                IsCopyData: false,
                IsBulkLoad: type == TdsBulkLoad,
                IsCommit: isCommit,
                ContainsText: contains,
                Describe: messageType switch
                {
                    TdsBulkLoad => "a bulk-load packet",
                    TdsTransactionManager => isCommit ? "the transaction-manager COMMIT request" : "a transaction-manager request",
                    TdsSqlBatch => "a SQL batch",
                    TdsRpc => "an RPC request",
                    _ => $"a packet of type 0x{messageType:X2}",
                });
            if (!await ForwardAsync(server, buffer.AsMemory(0, length), _proxy.Decide(this, unit)))
            {
                return;
            }
        }
    }

    /// <summary>A transaction-manager request's type: the ushort after the ALL_HEADERS block (whose first DWORD is its length).</summary>
    private static int TransactionRequest(byte[] payload)
    {
        if (payload.Length < 4)
        {
            return -1;
        }

        var headers = BinaryPrimitives.ReadInt32LittleEndian(payload);
        return headers >= 4 && headers + 2 <= payload.Length ? BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(headers)) : -1;
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 60 ? line : line[..60] + "...";
    }

    private static byte[] Ensure(byte[] buffer, int length, int keep)
    {
        if (length <= buffer.Length)
        {
            return buffer;
        }

        var larger = new byte[length];
        Buffer.BlockCopy(buffer, 0, larger, 0, keep);
        return larger;
    }
}
