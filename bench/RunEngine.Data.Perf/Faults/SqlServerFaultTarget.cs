using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.SqlClient;
using RunEngine.Data.SqlServer;
using RunEngine.Data.Testing;

namespace RunEngine.Data.Perf.Faults;

/// <summary>SQL Server through a TDS proxy: encryption off (login-only TLS passes as records), SqlClient's own reconnection off.</summary>
internal sealed class SqlServerFaultTarget(string connectionString) : FaultTarget
{
    private readonly SqlConnectionStringBuilder _server = new(connectionString);

    public override string Name => "SQL Server";

    public override WireProtocol Protocol => WireProtocol.Tds;

    public override (string Host, int Port) Upstream
    {
        get
        {
            var source = _server.DataSource.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase) ? _server.DataSource[4..] : _server.DataSource;
            var parts = source.Split(',', 2);
            var host = parts[0].Split('\\')[0];
            host = host is "." or "(local)" or "localhost" ? "127.0.0.1" : host;
            return (host, parts.Length == 2 ? int.Parse(parts[1].Trim(), CultureInfo.InvariantCulture) : 1433);
        }
    }

    protected override string VersionQuery => "SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128))";

    public override RunEngineDatabase Create(int? proxyPort, bool retry, bool shortTimeouts)
    {
        var builder = new SqlConnectionStringBuilder(_server.ConnectionString);
        if (proxyPort is { } port)
        {
            builder.DataSource = string.Create(CultureInfo.InvariantCulture, $"tcp:127.0.0.1,{port}");
            builder.Encrypt = SqlConnectionEncryptOption.Optional;
            builder.TrustServerCertificate = true;
            builder.MultipleActiveResultSets = false;
            builder.ConnectRetryCount = 0;
        }

        if (shortTimeouts)
        {
            builder.CommandTimeout = (int)FaultsApp.StallCommandTimeout.TotalSeconds;
        }

        var options = new SqlServerOptions { Schema = Schema };
        Configure(options, retry, shortTimeouts);
        return SqlServerDatabase.Create(builder.ConnectionString, options);
    }

    public override async Task<DbConnection> OpenDirectAsync()
    {
        var connection = new SqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public override WireFault MidBulk(long at) => WireFault.CutAfterBulkLoadBytes(at);

    public override long BulkUnits(ProxyCounts counts) => counts.BulkLoadBytes;

    public override string? AutocommitWrite(FaultOperation operation) =>
        operation is FaultOperation.UpdateStatus ? "UPDATE " + Direct.Provider.Tables.Stories : null;

    protected override async Task DropSchemaAsync()
    {
        using (var pooled = new SqlConnection(_server.ConnectionString))
        {
            SqlConnection.ClearPool(pooled);
        }

        await using var connection = await OpenDirectAsync();
        var tables = await connection.QueryAsync<string>("SELECT name FROM sys.tables WHERE schema_id = SCHEMA_ID(@schema)", new { schema = Schema });
        // Children first: the cards reference the stories.
        foreach (var table in tables.OrderBy(t => t.EndsWith("stories", StringComparison.Ordinal) ? 1 : 0))
        {
            await connection.ExecuteAsync($"DROP TABLE [{Schema}].[{table}]");
        }

        await connection.ExecuteAsync($"DROP SCHEMA [{Schema}]");
    }
}
