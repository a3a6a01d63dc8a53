using System.Net.Sockets;
using Npgsql;
using RunEngine.Data.PostgreSql;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL's transient errors on the real Npgsql types (no server): the core's untyped reading
/// (<see cref="RunEngineDatabase.IsTransient"/>, no provider involved) and the provider's typed one give the same answers.
/// </summary>
public sealed class PostgreSqlTransientErrorsTests : IAsyncLifetime
{
    private RunEngineDatabase _db = null!;

    public static TheoryData<string> TransientStates() =>
        ["08000", "08003", "08006", "08001", "08004", "08007", "08P01", "40001", "40P01", "55P03", "57P01", "57P02", "57P03", "57P05", "53300"];

    public static TheoryData<string> OtherStates() =>
        ["57014", "23505", "23503", "23502", "22001", "42P01", "42601", "53100", "53200", "40002", "XX000", "25P02"];

    public Task InitializeAsync()
    {
        // No connection is opened: the provider only classifies.
        _db = PostgreSqlDatabase.Create("Host=127.0.0.1;Port=1;Database=none");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [MemberData(nameof(TransientStates))]
    public void IsTransient_TransientSqlState_IsTransientOnBothPaths(string sqlState)
    {
        var error = new PostgresException("message", "ERROR", "ERROR", sqlState);

        RunEngineDatabase.IsTransient(error).Should().BeTrue();
        _db.Provider.TransientReason(error).Should().Be($"sqlstate:{sqlState}");
        RunEngineDatabase.IsTransient(new InvalidOperationException("wrapped", error)).Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(OtherStates))]
    public void IsTransient_OtherSqlState_IsNotTransientOnBothPaths(string sqlState)
    {
        var error = new PostgresException("message", "ERROR", "ERROR", sqlState);

        RunEngineDatabase.IsTransient(error).Should().BeFalse();
        _db.Provider.TransientReason(error).Should().BeNull();
    }

    [Fact]
    public void IsTransient_NpgsqlExceptionCausedByTheConnection_IsTransientOnBothPaths()
    {
        var broken = new NpgsqlException("Exception while reading from stream", new EndOfStreamException());
        var reset = new NpgsqlException("Exception while writing to stream", new IOException("reset", new SocketException(104)));
        var stalled = new NpgsqlException("Exception while reading from stream", new TimeoutException());

        foreach (var (error, reason) in new[] { (broken, "io"), (reset, "io"), (stalled, "timeout") })
        {
            RunEngineDatabase.IsTransient(error).Should().BeTrue();
            _db.Provider.TransientReason(error).Should().Be(reason);
            Resilience.TransientErrors.Reason(error).Should().Be(reason);
        }
    }

    [Fact]
    public void IsTransient_OtherNpgsqlException_IsNotTransientOnBothPaths()
    {
        var error = new NpgsqlException("The connection pool has been exhausted in another way");

        RunEngineDatabase.IsTransient(error).Should().BeFalse();
        _db.Provider.TransientReason(error).Should().BeNull();
    }

    [Fact]
    public void IsTransient_CancelledByTheCallersToken_IsNotTransient()
    {
        var cancelled = new OperationCanceledException("Query was cancelled", new PostgresException("canceling statement due to user request", "ERROR", "ERROR", "57014"));

        RunEngineDatabase.IsTransient(cancelled).Should().BeFalse();
        _db.Provider.TransientReason(cancelled).Should().BeNull();
    }
}
