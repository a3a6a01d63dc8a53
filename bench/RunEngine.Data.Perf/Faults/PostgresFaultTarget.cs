using System.Data.Common;
using Dapper;
using Npgsql;
using RunEngine.Data.PostgreSql;
using RunEngine.Data.Testing;

namespace RunEngine.Data.Perf.Faults;

internal sealed class PostgresFaultTarget(string connectionString) : FaultTarget
{
    private readonly NpgsqlConnectionStringBuilder _server = new(connectionString);

    public override string Name => "PostgreSQL";

    public override WireProtocol Protocol => WireProtocol.PostgreSql;

    public override (string Host, int Port) Upstream => (_server.Host!, _server.Port);

    protected override string VersionQuery => "SHOW server_version";

    public override RunEngineDatabase Create(int? proxyPort, bool retry, bool shortTimeouts)
    {
        var builder = new NpgsqlConnectionStringBuilder(_server.ConnectionString);
        if (proxyPort is { } port)
        {
            builder.Host = "127.0.0.1";
            builder.Port = port;
            builder.SslMode = SslMode.Disable;
        }

        if (shortTimeouts)
        {
            builder.CommandTimeout = (int)FaultsApp.StallCommandTimeout.TotalSeconds;
        }

        var options = new PostgreSqlOptions { Schema = Schema };
        Configure(options, retry, shortTimeouts);
        return PostgreSqlDatabase.Create(builder.ConnectionString, options);
    }

    public override async Task<DbConnection> OpenDirectAsync()
    {
        var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public override WireFault MidBulk(long at) => WireFault.CutAfterCopyData(at);

    public override long BulkUnits(ProxyCounts counts) => counts.CopyData;

    public override string? AutocommitWrite(FaultOperation operation) =>
        operation is FaultOperation.UpdateStatus or FaultOperation.Claim ? "UPDATE " + Direct.Provider.Tables.Stories : null;

    protected override async Task DropSchemaAsync()
    {
        await using var connection = await OpenDirectAsync();
        await connection.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
    }
}
