using Npgsql;
using RunEngine.Data.IntegrationTests.PostgreSql;
using RunEngine.Data.PostgreSql;
using RunEngine.Data.Testing;

namespace RunEngine.Data.IntegrationTests.Faults;

/// <summary>The fault matrix on PostgreSQL (runs in CI: scripts/test.sh starts the server).</summary>
public sealed class PostgreSqlFaultMatrixTests(PostgreSqlFixture fixture) : FaultMatrixContract<PostgreSqlFixture>(fixture)
{
    /// <summary>The operations that send a COPY: cycles and the status stage.</summary>
    private static readonly HashSet<FaultOperation> BulkOperations =
        [FaultOperation.CycleFail, FaultOperation.CycleSkip, FaultOperation.UpdateStatuses];

    public static TheoryData<FaultOperation, MatrixPoint, RetryMode> Cells => FaultMatrixCells.For(BulkOperations);

    [SkippableTheory]
    [MemberData(nameof(Cells))]
    public Task Cell(FaultOperation operation, MatrixPoint point, RetryMode retry) => RunCellAsync(operation, point, retry);

    protected override FaultProxy StartProxy()
    {
        var server = new NpgsqlConnectionStringBuilder(Fixture.ConnectionString);
        return new FaultProxy(WireProtocol.PostgreSql, server.Host!, server.Port);
    }

    protected override RunEngineDatabase CreateProxiedDatabase(FaultProxy proxy, Action<RunEngineOptions> configure, bool shortTimeouts)
    {
        var builder = new NpgsqlConnectionStringBuilder(Fixture.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, SslMode = SslMode.Disable };
        if (shortTimeouts)
        {
            // COMMIT runs under the connection's own command timeout, not the library's.
            builder.CommandTimeout = (int)StallCommandTimeout.TotalSeconds;
        }

        var options = new PostgreSqlOptions { TimeProvider = Fixture.Time, LeaseClock = LeaseClock.Host };
        configure(options);
        return PostgreSqlDatabase.Create(builder.ConnectionString, options);
    }

    /// <summary>After the second CopyData of a cycle (the stories' COPY is more than one), the first of the others.</summary>
    protected override WireFault MidBulk(FaultOperation operation) =>
        WireFault.CutAfterCopyData(operation is FaultOperation.CycleFail or FaultOperation.CycleSkip ? 2 : 1);

    /// <summary>The single-row change, the claim and the batch completion (with its log entries) are one statement each, in autocommit.</summary>
    protected override string? AutocommitWrite(FaultOperation operation) =>
        operation is FaultOperation.UpdateStatus or FaultOperation.Claim or FaultOperation.CompleteMany ? "UPDATE " + Fixture.Database.Provider.Tables.Stories : null;
}
