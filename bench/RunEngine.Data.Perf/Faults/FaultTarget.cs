using System.Data.Common;
using RunEngine.Data.Testing;

namespace RunEngine.Data.Perf.Faults;

/// <summary>A server the fault workload runs on: a schema of its own, direct and proxied databases over it.</summary>
internal abstract class FaultTarget : IAsyncDisposable
{
    /// <summary>The schema of this run (dropped afterwards).</summary>
    protected string Schema { get; } = "re_faults_" + Guid.NewGuid().ToString("N")[..16];

    public abstract string Name { get; }

    public abstract WireProtocol Protocol { get; }

    /// <summary>The server's host and port, for the proxy.</summary>
    public abstract (string Host, int Port) Upstream { get; }

    /// <summary>The database not through the proxy (seeds), schema applied.</summary>
    public RunEngineDatabase Direct { get; private set; } = null!;

    /// <summary>The server's version.</summary>
    public string Version { get; protected set; } = "";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Direct = Create(null, retry: true, shortTimeouts: false);
        await Direct.EnsureSchemaAsync(cancellationToken);
        await using var connection = await OpenDirectAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = VersionQuery;
        Version = Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>A database over this run's schema, through <paramref name="proxyPort"/> when given.</summary>
    public abstract RunEngineDatabase Create(int? proxyPort, bool retry, bool shortTimeouts);

    public abstract Task<DbConnection> OpenDirectAsync();

    /// <summary>The fault in the middle of the bulk path, <paramref name="at"/> from 1 to the <see cref="BulkUnits"/> counted in a dry run.</summary>
    public abstract WireFault MidBulk(long at);

    /// <summary>What the dry run counts for <see cref="MidBulk"/>: CopyData messages (PostgreSQL) or bulk-load bytes (TDS).</summary>
    public abstract long BulkUnits(ProxyCounts counts);

    /// <summary>The text of the operation's one autocommit write on this provider; null when it commits a transaction.</summary>
    public abstract string? AutocommitWrite(FaultOperation operation);

    protected abstract string VersionQuery { get; }

    protected abstract Task DropSchemaAsync();

    protected static void Configure(RunEngineOptions options, bool retry, bool shortTimeouts)
    {
        options.Retry.Enabled = retry;
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        if (shortTimeouts)
        {
            options.CommandTimeout = FaultsApp.StallCommandTimeout;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Direct is not null)
        {
            await Direct.DisposeAsync();
            try
            {
                await DropSchemaAsync();
            }
            catch (DbException ex)
            {
                await Console.Error.WriteLineAsync($"{Name}: could not drop schema {Schema} ({ex.Message}); drop it by hand.");
            }
        }

        GC.SuppressFinalize(this);
    }
}
