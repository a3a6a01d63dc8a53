using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RunEngine.Data.WorkerService;

/// <summary>
/// Runs the host's health checks once at start, after <see cref="RunSeeder"/> created the schema (hosted services start
/// in registration order), and logs each entry: what a health endpoint would answer, without a web server. The
/// RunEngine.Data check (<c>AddHealthChecks().AddRunEngineData()</c>) reads the schema version in one query.
/// </summary>
public sealed class HealthReporter(HealthCheckService health, ILogger<HealthReporter> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        foreach (var (name, entry) in report.Entries)
        {
            SampleLog.Health(logger, name, entry.Status, entry.Description ?? "-");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
