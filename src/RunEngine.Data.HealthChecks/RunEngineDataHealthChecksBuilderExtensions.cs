using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RunEngine.Data.HealthChecks;

namespace RunEngine.Data;

/// <summary>
/// Adds RunEngine.Data's health check to <c>services.AddHealthChecks()</c> (Microsoft.Extensions.Diagnostics.HealthChecks),
/// for example <c>services.AddHealthChecks().AddRunEngineData()</c>.
/// </summary>
/// <remarks>
/// The check reads the schema-version table with one query on a pooled connection of the database (no transaction, no
/// lock, not retried) and reports <see cref="HealthStatus.Healthy"/> when the recorded version is the one this library's
/// scripts reach. It reports the failure status when the database cannot be reached or read, does not answer within the
/// timeout, or its schema is older (including tables never created: version 0) or newer than the library's; the
/// description says which, with both versions, and never contains the connection string. The result's data holds
/// <c>provider</c>, <c>schema</c>, <c>tablePrefix</c>, <c>expectedSchemaVersion</c> and, once read, <c>schemaVersion</c>.
/// The check never reports <see cref="HealthStatus.Degraded"/> by itself; pass it as <c>failureStatus</c> to have failures
/// reported that way.
/// </remarks>
public static class RunEngineDataHealthChecksBuilderExtensions
{
    /// <summary>The check's name when none is given: <c>RunEngine.Data</c>.</summary>
    public const string DefaultName = "RunEngine.Data";

    /// <summary>How long the check waits for the database when no timeout is given: 5 seconds.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Checks the <see cref="RunEngineDatabase"/> registered by
    /// <see cref="RunEngineDataServiceCollectionExtensions.AddRunEngineData"/> (resolved when the check runs; without
    /// one, the check reports its failure status and says so).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Default <see cref="DefaultName"/>.</param>
    /// <param name="failureStatus">What a failed check reports. Default null: <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example "ready" for a readiness endpoint). Default none.</param>
    /// <param name="timeout">How long the check waits for the database before it reports the failure status, whatever the
    /// connection string's own timeouts; the caller's token is honoured too. Default <see cref="DefaultTimeout"/> (5 s);
    /// <see cref="Timeout.InfiniteTimeSpan"/> for the token alone.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHealthChecksBuilder AddRunEngineData(
        this IHealthChecksBuilder builder,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null) =>
        Add(builder, static services => services.GetService<RunEngineDatabase>(), name, failureStatus, tags, timeout);

    /// <summary>
    /// Checks the database <paramref name="database"/> returns (called each time the check runs, in its scope), for a
    /// database not registered with <see cref="RunEngineDataServiceCollectionExtensions.AddRunEngineData"/>, or one of
    /// several. The container does not dispose it.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="database">Returns the database to check, for example <c>_ =&gt; reportingDatabase</c>.</param>
    /// <param name="name">The check's name. Default <see cref="DefaultName"/>.</param>
    /// <param name="failureStatus">What a failed check reports. Default null: <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by. Default none.</param>
    /// <param name="timeout">How long the check waits for the database. Default <see cref="DefaultTimeout"/> (5 s);
    /// <see cref="Timeout.InfiniteTimeSpan"/> for the token alone.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHealthChecksBuilder AddRunEngineData(
        this IHealthChecksBuilder builder,
        Func<IServiceProvider, RunEngineDatabase> database,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        return Add(builder, database, name, failureStatus, tags, timeout);
    }

    private static IHealthChecksBuilder Add(
        IHealthChecksBuilder builder,
        Func<IServiceProvider, RunEngineDatabase?> database,
        string? name,
        HealthStatus? failureStatus,
        IEnumerable<string>? tags,
        TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
        }

        var bound = timeout ?? DefaultTimeout;
        if (bound != Timeout.InfiniteTimeSpan && (bound <= TimeSpan.Zero || bound.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(
                nameof(timeout),
                bound.ToString("c", CultureInfo.InvariantCulture),
                "The health check's timeout must be positive and at most 24.8 days (int.MaxValue milliseconds), or Timeout.InfiniteTimeSpan.");
        }

        // The check owns its timeout (the registration's is left unset): it then holds outside HealthCheckService too,
        // and its description names the database that did not answer.
        return builder.Add(new HealthCheckRegistration(
            name ?? DefaultName,
            services => new RunEngineDataHealthCheck(() => database(services) is { } db ? HealthProbeTarget.Of(db) : null, bound),
            failureStatus,
            tags));
    }
}
