using Npgsql;
using NpgsqlTypes;
using RunEngine.Data.IntegrationTests.PostgreSql;
using RunEngine.Data.Testing;

namespace RunEngine.Data.IntegrationTests.Faults;

/// <summary>The fault-injection proxy against the real PostgreSQL: each fault point fires where it says, and only there.</summary>
public sealed class FaultProxyPostgresTests : IClassFixture<PostgreSqlFixture>, IDisposable
{
    private readonly PostgreSqlFixture _fixture;
    private FaultProxy? _proxy;

    public FaultProxyPostgresTests(PostgreSqlFixture fixture)
    {
        _fixture = fixture;
    }

    public void Dispose() => _proxy?.Dispose();

    [SkippableFact]
    public async Task CutAtConnect_NextOpen_FailsAndLaterOpensWork()
    {
        var proxy = Start();
        proxy.Arm(WireFault.CutAtConnect());

        var open = () => OpenAsync();

        await open.Should().ThrowAsync<NpgsqlException>();
        proxy.Fired.Should().ContainSingle().Which.Fault.Point.Should().Be(FaultPoint.Connect);
        await using var again = await OpenAsync();
        (await ScalarAsync<int>(again, "SELECT 1")).Should().Be(1);
    }

    [SkippableFact]
    public async Task CutAtNextMessage_Insert_NeverReachesTheServer()
    {
        var table = await CreateTableAsync();
        var proxy = Start();
        await using var connection = await OpenAsync();
        proxy.Arm(WireFault.CutAtNextMessage());

        var insert = () => ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1)");

        await insert.Should().ThrowAsync<NpgsqlException>();
        proxy.Fired.Should().ContainSingle().Which.Detail.Should().StartWith("before");
        (await CountAsync(table)).Should().Be(0);
    }

    [SkippableFact]
    public async Task CutAfterClientBytes_InTheMiddleOfAMessage_BreaksTheConnection()
    {
        var table = await CreateTableAsync();
        var proxy = Start();
        await using var connection = await OpenAsync();
        proxy.Arm(WireFault.CutAfterClientBytes(10));

        var insert = () => ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1)");

        await insert.Should().ThrowAsync<NpgsqlException>();
        proxy.Fired.Should().ContainSingle().Which.Detail.Should().StartWith("10 of ");
        (await CountAsync(table)).Should().Be(0);
    }

    [SkippableFact]
    public async Task CutAfterServerBytes_DuringALargeResult_BreaksTheRead()
    {
        var proxy = Start();
        await using var connection = await OpenAsync();
        proxy.Arm(WireFault.CutAfterServerBytes(20_000));

        var read = async () =>
        {
            await using var command = new NpgsqlCommand("SELECT g, repeat('x', 100) FROM generate_series(1, 10000) AS g", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        };

        await read.Should().ThrowAsync<NpgsqlException>();
        proxy.Fired.Should().ContainSingle().Which.Fault.Point.Should().Be(FaultPoint.ServerBytes);
    }

    [SkippableFact]
    public async Task CutAfterCopyData_SecondMessage_AbortsTheCopyAndStoresNothing()
    {
        var table = await CreateTableAsync();
        var proxy = Start();
        await using var connection = await OpenAsync();
        proxy.Arm(WireFault.CutAfterCopyData(2));

        var copy = async () =>
        {
            await using var importer = await connection.BeginBinaryImportAsync($"COPY {table} (id) FROM STDIN (FORMAT BINARY)");
            for (var i = 0; i < 50_000; i++)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(i, NpgsqlDbType.Integer);
            }

            await importer.CompleteAsync();
        };

        await copy.Should().ThrowAsync<Exception>();
        proxy.Fired.Should().ContainSingle().Which.Detail.Should().Contain("CopyData #2");
        (await CountAsync(table)).Should().Be(0);
    }

    [SkippableFact]
    public async Task CutAfterCommit_Transaction_IsCommittedButTheClientFails()
    {
        var table = await CreateTableAsync();
        var proxy = Start();
        await using var connection = await OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1)");
        proxy.Arm(WireFault.CutAfterCommit());

        var commit = () => transaction.CommitAsync();

        await commit.Should().ThrowAsync<Exception>();
        proxy.Fired.Should().ContainSingle().Which.Detail.Should().Contain("COMMIT").And.Contain("reply dropped");
        (await CountAsync(table)).Should().Be(1, "the server committed before its reply was dropped");
    }

    [SkippableFact]
    public async Task CutAfterStatement_Autocommit_IsAppliedButTheClientFails()
    {
        var table = await CreateTableAsync();
        var proxy = Start();
        await using var connection = await OpenAsync();
        proxy.Arm(WireFault.CutAfterStatement("re_fault_marker"));
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1)");

        var insert = () => ExecuteAsync(connection, $"INSERT INTO {table} SELECT 2 AS re_fault_marker");

        await insert.Should().ThrowAsync<NpgsqlException>();
        proxy.Fired.Should().ContainSingle().Which.Detail.Should().Contain("INSERT INTO " + table).And.Contain("reply dropped");
        (await CountAsync(table)).Should().Be(2);
    }

    [SkippableFact]
    public async Task StallCommitThenCut_Transaction_IsNotCommitted()
    {
        var table = await CreateTableAsync();
        var proxy = Start();
        await using var connection = await OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1)");
        proxy.Arm(WireFault.StallCommit(TimeSpan.FromMilliseconds(200), thenCut: true));

        var commit = () => transaction.CommitAsync();

        await commit.Should().ThrowAsync<Exception>();
        proxy.Fired.Should().ContainSingle().Which.Fault.Action.Should().Be(FaultAction.StallThenCut);
        (await CountAsync(table)).Should().Be(0, "the COMMIT never reached the server");
    }

    [SkippableFact]
    public async Task StallStatementThenPass_ShorterThanTheTimeout_Succeeds()
    {
        var table = await CreateTableAsync();
        var proxy = Start();
        await using var connection = await OpenAsync();
        proxy.Arm(WireFault.StallStatement("re_fault_marker", TimeSpan.FromMilliseconds(200), thenCut: false));

        await ExecuteAsync(connection, $"INSERT INTO {table} SELECT 1 AS re_fault_marker");

        proxy.Fired.Should().ContainSingle().Which.Fault.Action.Should().Be(FaultAction.StallThenPass);
        (await CountAsync(table)).Should().Be(1);
    }

    [SkippableFact]
    public async Task StallStatementThenPass_BeyondTheCommandTimeout_TimesOutThenApplies()
    {
        var table = await CreateTableAsync();
        var proxy = Start();
        // No wait for a cancellation's reply (Npgsql waits 2 s by default, and takes a reply arriving then as success).
        await using var connection = await OpenAsync(commandTimeout: 1, cancellationTimeout: -1);
        proxy.Arm(WireFault.StallStatement("re_fault_marker", TimeSpan.FromMilliseconds(1_500), thenCut: false));

        var insert = () => ExecuteAsync(connection, $"INSERT INTO {table} SELECT 1 AS re_fault_marker");

        (await insert.Should().ThrowAsync<NpgsqlException>()).Which.InnerException.Should().BeOfType<TimeoutException>();
        proxy.Fired.Should().ContainSingle();
        (await WaitForCountAsync(table, 1)).Should().Be(1, "the stalled statement reached the server after the client gave up");
    }

    [SkippableFact]
    public async Task CutAll_IdleConnections_BreaksEveryOne()
    {
        var proxy = Start();
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();

        var cut = proxy.CutAll();

        cut.Should().Be(2);
        proxy.Fired.Should().HaveCount(2).And.OnlyContain(f => f.Fault.Point == FaultPoint.All);
        var use = () => ScalarAsync<int>(first, "SELECT 1");
        await use.Should().ThrowAsync<Exception>();
    }

    [SkippableFact]
    public async Task Arm_TwoFaults_EachFiresOnceAndDisarmReturnsTheRest()
    {
        var table = await CreateTableAsync();
        var proxy = Start();
        proxy.Arm(WireFault.CutAfterStatement("re_never_sent"));
        proxy.Arm(WireFault.CutAfterStatement("re_fault_marker"));
        await using var connection = await OpenAsync();

        var insert = () => ExecuteAsync(connection, $"INSERT INTO {table} SELECT 1 AS re_fault_marker");

        await insert.Should().ThrowAsync<NpgsqlException>();
        proxy.Fired.Should().ContainSingle().Which.Fault.Text.Should().Be("re_fault_marker");
        proxy.Disarm().Should().ContainSingle().Which.Text.Should().Be("re_never_sent");
        await using var again = await OpenAsync();
        await ExecuteAsync(again, $"INSERT INTO {table} SELECT 3 AS re_fault_marker");
        (await CountAsync(table)).Should().Be(2, "a fired fault does not fire again");
    }

    private FaultProxy Start()
    {
        _fixture.SkipIfUnavailable();
        var server = new NpgsqlConnectionStringBuilder(_fixture.ConnectionString);
        _proxy = new FaultProxy(WireProtocol.PostgreSql, server.Host!, server.Port);
        return _proxy;
    }

    private async Task<NpgsqlConnection> OpenAsync(int commandTimeout = 30, int cancellationTimeout = 2000)
    {
        var builder = new NpgsqlConnectionStringBuilder(_fixture.ConnectionString)
        {
            Host = "127.0.0.1", Port = _proxy!.Port, SslMode = SslMode.Disable, Pooling = false, CommandTimeout = commandTimeout,
            CancellationTimeout = cancellationTimeout,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<string> CreateTableAsync()
    {
        _fixture.SkipIfUnavailable();
        var table = "re_fault_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = (NpgsqlConnection)await _fixture.OpenConnectionAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (id integer NOT NULL)");
        return table;
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = (NpgsqlConnection)await _fixture.OpenConnectionAsync();
        return await ScalarAsync<long>(connection, $"SELECT count(*) FROM {table}");
    }

    /// <summary>Counts until <paramref name="expected"/> rows are there (a stalled statement arrives late) or 10 s passed.</summary>
    private async Task<long> WaitForCountAsync(string table, long expected)
    {
        var count = await CountAsync(table);
        for (var i = 0; i < 200 && count != expected; i++)
        {
            await Task.Delay(50);
            count = await CountAsync(table);
        }

        return count;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
