using System.Globalization;
using Microsoft.Data.SqlClient;
using RunEngine.Data.IntegrationTests.SqlServer;
using RunEngine.Data.SqlServer;
using RunEngine.Data.Testing;

namespace RunEngine.Data.IntegrationTests.Faults;

/// <summary>
/// The fault matrix on SQL Server, when <c>RUNENGINE_TEST_SQLSERVER</c> names one. The proxy reads TDS in the clear,
/// so the relayed connection string turns encryption off (Encrypt=false: only the login is encrypted, which the proxy
/// passes through as TLS records; a server that forces encryption cannot be relayed). SqlClient's own reconnection of
/// idle connections (ConnectRetryCount) is off, so the library's retry is what survives the faults.
/// </summary>
public sealed class SqlServerFaultMatrixTests(SqlServerFixture fixture) : FaultMatrixContract<SqlServerFixture>(fixture)
{
    /// <summary>The operations that bulk-load: cycles past the small-batch threshold (50 rows) and the status stage.</summary>
    private static readonly HashSet<FaultOperation> BulkOperations =
        [FaultOperation.CycleFail, FaultOperation.CycleSkip, FaultOperation.UpdateStatuses];

    public static TheoryData<FaultOperation, MatrixPoint, RetryMode> Cells => FaultMatrixCells.For(BulkOperations);

    [SkippableTheory]
    [MemberData(nameof(Cells))]
    public Task Cell(FaultOperation operation, MatrixPoint point, RetryMode retry) => RunCellAsync(operation, point, retry);

    protected override FaultProxy StartProxy()
    {
        var (host, port) = Endpoint(new SqlConnectionStringBuilder(Fixture.ConnectionString).DataSource);
        return new FaultProxy(WireProtocol.Tds, host, port);
    }

    protected override RunEngineDatabase CreateProxiedDatabase(FaultProxy proxy, Action<RunEngineOptions> configure, bool shortTimeouts)
    {
        var builder = new SqlConnectionStringBuilder(Fixture.ConnectionString)
        {
            DataSource = string.Create(CultureInfo.InvariantCulture, $"tcp:127.0.0.1,{proxy.Port}"),
            Encrypt = SqlConnectionEncryptOption.Optional,
            TrustServerCertificate = true,
            MultipleActiveResultSets = false,
            ConnectRetryCount = 0,
        };
        if (shortTimeouts)
        {
            builder.CommandTimeout = (int)StallCommandTimeout.TotalSeconds;
        }

        var options = new SqlServerOptions { TimeProvider = Fixture.Time, LeaseClock = LeaseClock.Host };
        configure(options);
        return SqlServerDatabase.Create(builder.ConnectionString, options);
    }

    /// <summary>A few kilobytes into the operation's bulk load (the stories' rows of a cycle, the stage's changes).</summary>
    protected override WireFault MidBulk(FaultOperation operation) => WireFault.CutAfterBulkLoadBytes(2_000);

    /// <summary>The single-row change is one <c>UPDATE ... OUTPUT ... INTO</c> in autocommit; everything else commits a transaction.</summary>
    protected override string? AutocommitWrite(FaultOperation operation) =>
        operation is FaultOperation.UpdateStatus ? "UPDATE " + Fixture.Database.Provider.Tables.Stories : null;

    /// <summary>Host and port of a SqlClient data source: <c>host</c>, <c>host,port</c>, <c>tcp:host,port</c> (named instances need their port).</summary>
    private static (string Host, int Port) Endpoint(string dataSource)
    {
        var source = dataSource.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase) ? dataSource[4..] : dataSource;
        if (source.Contains('\\', StringComparison.Ordinal) && !source.Contains(',', StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The fault proxy needs the server's TCP port: give RUNENGINE_TEST_SQLSERVER's Data Source as host,port, not a named instance.");
        }

        var parts = source.Split(',', 2);
        var host = parts[0].Split('\\')[0];
        host = host is "." or "(local)" or "localhost" ? "127.0.0.1" : host;
        return (host, parts.Length == 2 ? int.Parse(parts[1].Trim(), CultureInfo.InvariantCulture) : 1433);
    }
}
