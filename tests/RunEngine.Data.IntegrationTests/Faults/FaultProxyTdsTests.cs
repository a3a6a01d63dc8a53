using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RunEngine.Data.Testing;

namespace RunEngine.Data.IntegrationTests.Faults;

/// <summary>
/// The proxy's TDS half without a SQL Server: a loopback fake server that answers every client message with one
/// response packet shows that bulk-load, COMMIT and statement faults fire on TDS packets where they say.
/// </summary>
public sealed class FaultProxyTdsTests : IDisposable
{
    private const byte SqlBatch = 0x01;
    private const byte BulkLoad = 0x07;
    private const byte TransactionManager = 0x0E;
    private readonly FakeTdsServer _server = new();
    private readonly FaultProxy _proxy;

    public FaultProxyTdsTests()
    {
        _proxy = new FaultProxy(WireProtocol.Tds, "127.0.0.1", _server.Port);
    }

    public void Dispose()
    {
        _proxy.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task CutAfterCommit_TransactionManagerCommit_ReachesTheServerAndTheReplyIsDropped()
    {
        using var client = await ConnectAsync();
        await SendAsync(client, SqlBatch, Utf16("SELECT 1"));
        (await ReceivePacketAsync(client)).Should().BeTrue();
        _proxy.Arm(WireFault.CutAfterCommit());

        await SendAsync(client, TransactionManager, TmRequest(5));
        (await ReceivePacketAsync(client)).Should().BeTrue("a begin request is no commit");
        await SendAsync(client, TransactionManager, TmRequest(7));

        (await ReceivePacketAsync(client)).Should().BeFalse("the reply to the commit is dropped and the connection cut");
        _server.Messages.Should().Equal(SqlBatch, TransactionManager, TransactionManager);
        _proxy.Fired.Should().ContainSingle().Which.Detail.Should().Contain("COMMIT request").And.Contain("reply dropped");
    }

    [Fact]
    public async Task CutAfterCommit_SqlBatchWithCommit_Fires()
    {
        using var client = await ConnectAsync();
        _proxy.Arm(WireFault.CutAfterCommit());

        await SendAsync(client, SqlBatch, Utf16("SELECT committed FROM t"));
        (await ReceivePacketAsync(client)).Should().BeTrue("'committed' is not the word COMMIT");
        await SendAsync(client, SqlBatch, Utf16("IF @@TRANCOUNT > 0 COMMIT TRANSACTION"));

        (await ReceivePacketAsync(client)).Should().BeFalse();
        _proxy.Fired.Should().ContainSingle();
    }

    [Fact]
    public async Task CutAfterBulkLoadBytes_InTheMiddleOfAPacket_PassesExactlyThatMany()
    {
        using var client = await ConnectAsync();
        _proxy.Arm(WireFault.CutAfterBulkLoadBytes(1_000));

        bool replied;
        try
        {
            for (var i = 0; i < 10; i++)
            {
                await SendAsync(client, BulkLoad, new byte[500], endOfMessage: i == 9);
            }

            replied = await ReceivePacketAsync(client);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            replied = false;
        }

        replied.Should().BeFalse();
        _proxy.Fired.Should().ContainSingle().Which.Detail.Should().Be("492 of 508 bytes into a bulk-load packet");
        await _server.WaitClosedAsync();
        _server.BytesReceived.Should().Be(1_000);
    }

    [Fact]
    public async Task StallStatementThenCut_SqlBatch_NeverReachesTheServer()
    {
        using var client = await ConnectAsync();
        _proxy.Arm(WireFault.StallStatement("re_marker", TimeSpan.FromMilliseconds(100), thenCut: true));

        await SendAsync(client, SqlBatch, Utf16("UPDATE t SET x = 1 /* re_marker */"));

        (await ReceivePacketAsync(client)).Should().BeFalse();
        _server.Messages.Should().BeEmpty();
    }

    [Fact]
    public async Task Tls_RecordsDuringLogin_PassUnchanged()
    {
        using var client = await ConnectAsync();
        var record = new byte[] { 0x17, 0x03, 0x03, 0x00, 0x03, 1, 2, 3 };

        await client.GetStream().WriteAsync(record);
        await SendAsync(client, SqlBatch, Utf16("SELECT 1"));

        (await ReceivePacketAsync(client)).Should().BeTrue();
        _server.Messages.Should().Equal(SqlBatch);
        _server.BytesReceived.Should().Be(record.Length + 8 + Utf16("SELECT 1").Length);
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, _proxy.Port);
        return client;
    }

    private static byte[] Utf16(string text) => [.. new byte[4 + 18].Select((_, i) => i == 0 ? (byte)22 : (byte)0), .. Encoding.Unicode.GetBytes(text)];

    private static byte[] TmRequest(ushort type)
    {
        var payload = new byte[22 + 2];
        BinaryPrimitives.WriteInt32LittleEndian(payload, 22);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(22), type);
        return payload;
    }

    private static async Task SendAsync(TcpClient client, byte type, byte[] payload, bool endOfMessage = true)
    {
        var packet = new byte[8 + payload.Length];
        packet[0] = type;
        packet[1] = endOfMessage ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        payload.CopyTo(packet, 8);
        await client.GetStream().WriteAsync(packet);
    }

    /// <summary>True when a whole response packet arrived; false when the connection was closed or reset first.</summary>
    private static async Task<bool> ReceivePacketAsync(TcpClient client)
    {
        try
        {
            var header = new byte[8];
            await client.GetStream().ReadExactlyAsync(header).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            var rest = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)) - 8];
            await client.GetStream().ReadExactlyAsync(rest);
            return true;
        }
        catch (Exception ex) when (ex is IOException or SocketException or EndOfStreamException)
        {
            return false;
        }
    }
}
