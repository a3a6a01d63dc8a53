using Microsoft.Extensions.Diagnostics.HealthChecks;
using RunEngine.Data.Schema;

namespace RunEngine.Data.HealthChecks;

/// <summary>
/// Reads the database's schema version with one query and compares it with the version this library's scripts reach:
/// <see cref="HealthStatus.Healthy"/> when they are equal; the registration's failure status when the database cannot be
/// reached or read, does not answer within the timeout, or is at an older or newer version. It never reports
/// <see cref="HealthStatus.Degraded"/> by itself (see docs/observability.md). Not retried: a probe reports what it sees
/// now, and the next probe is its retry.
/// </summary>
internal sealed class RunEngineDataHealthCheck : IHealthCheck
{
    private readonly Func<HealthProbeTarget?> _target;
    private readonly TimeSpan _timeout;

    /// <param name="target">Resolves what to probe (called on each check, inside it); null when no database is registered.</param>
    /// <param name="timeout">How long the check waits for the database; <see cref="Timeout.InfiniteTimeSpan"/> for only the token.</param>
    public RunEngineDataHealthCheck(Func<HealthProbeTarget?> target, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        _timeout = timeout;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        var failure = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;

        HealthProbeTarget? target;
        try
        {
            target = _target();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is created on first use: invalid options or a failing factory show here, not as a thrown report.
            return new HealthCheckResult(failure, HealthDescriptions.NotCreated(ex), ex);
        }

        if (target is null)
        {
            return new HealthCheckResult(failure, HealthDescriptions.NotRegistered());
        }

        var data = new Dictionary<string, object>
        {
            ["provider"] = target.ProviderName,
            ["schema"] = target.Schema,
            ["tablePrefix"] = target.TablePrefix,
            ["expectedSchemaVersion"] = target.ExpectedVersion,
        };

        var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            bound.CancelAfter(_timeout);
        }

        // On the thread pool and awaited under the bound, so that a driver that blocks (SQLite is synchronous) or
        // ignores the token cannot hold the check past it.
        var token = bound.Token;
        var read = Task.Run(() => target.ReadAsync(token), CancellationToken.None);
        SchemaVersionReading reading;
        try
        {
            reading = await read.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex) when (bound.IsCancellationRequested)
        {
            return new HealthCheckResult(failure, HealthDescriptions.TimedOut(target, _timeout), ex, data);
        }
        catch (Exception ex)
        {
            return new HealthCheckResult(failure, HealthDescriptions.Unreachable(target, ex), ex, data);
        }
        finally
        {
            Release(read, bound);
        }

        data["schemaVersion"] = reading.Version;
        return !reading.TableMissing && reading.Version == target.ExpectedVersion
            ? HealthCheckResult.Healthy(HealthDescriptions.UpToDate(target, reading.Version), data)
            : new HealthCheckResult(failure, HealthDescriptions.Mismatch(target, reading), data: data);
    }

    /// <summary>
    /// Disposes the bound once the read has ended: a read abandoned at the timeout still holds its token, and its
    /// failure is observed then, so that it never surfaces as an unobserved task exception.
    /// </summary>
    private static void Release(Task read, CancellationTokenSource bound)
    {
        if (read.IsCompleted)
        {
            _ = read.Exception;
            bound.Dispose();
            return;
        }

        _ = read.ContinueWith(
            static (task, state) =>
            {
                _ = task.Exception;
                ((CancellationTokenSource)state!).Dispose();
            },
            bound,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
