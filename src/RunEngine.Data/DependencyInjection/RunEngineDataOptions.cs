using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Registry;
using RunEngine.Data.DependencyInjection;

namespace RunEngine.Data;

/// <summary>
/// Options of <see cref="RunEngineDataServiceCollectionExtensions.AddRunEngineData"/>: which provider, the connection
/// string and the settings every provider shares. Bindable from configuration, for example
/// <c>services.Configure&lt;RunEngineDataOptions&gt;(configuration.GetSection("RunEngineData"))</c>; a provider is
/// chosen in code with <c>UseSqlServer</c>, <c>UseSqlite</c>, <c>UsePostgreSql</c> or <see cref="UseDatabase"/>.
/// Validated when the host starts (<c>ValidateOnStart</c>); the messages never contain the connection string.
/// </summary>
public sealed class RunEngineDataOptions
{
    private readonly Dictionary<string, ProviderRegistration> _providers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Which registered provider to use: <c>SqlServer</c>, <c>Sqlite</c>, <c>PostgreSql</c> or <c>Custom</c>
    /// (case-insensitive). Default null: the only registered one. Needed only when code registers several providers and
    /// configuration picks one (for example SQLite in development, PostgreSQL in production).
    /// </summary>
    public string? Provider { get; set; }

    /// <summary>
    /// The connection string, used when the <c>Use...</c> call does not pass one (so it can come from configuration or
    /// a secret store). Default null. Never included in messages or logs.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>See <see cref="RunEngineOptions.Schema"/>. Default null: the provider's default schema.</summary>
    public string? Schema { get; set; }

    /// <summary>See <see cref="RunEngineOptions.TablePrefix"/>. Default null: <c>re_</c>.</summary>
    public string? TablePrefix { get; set; }

    /// <summary>See <see cref="RunEngineOptions.CommandTimeout"/>. Default null: 30 seconds.</summary>
    public TimeSpan? CommandTimeout { get; set; }

    /// <summary>
    /// See <see cref="RunEngineOptions.LeaseClock"/>: <c>Database</c> or <c>Host</c> (configuration binds the name,
    /// case-insensitive). Default null: <see cref="RunEngine.Data.LeaseClock.Database"/>.
    /// </summary>
    public LeaseClock? LeaseClock { get; set; }

    /// <summary>
    /// See <see cref="RunEngineOptions.Retry"/>; bindable from configuration (section <c>RunEngineData:Retry</c>:
    /// <c>Enabled</c>, <c>MaxRetries</c>, <c>BaseDelay</c>, <c>MaxDelay</c>, <c>Timeout</c>). Default null: the
    /// defaults of <see cref="RetryOptions"/>. Validated at start-up like the other options.
    /// </summary>
    public RetryOptions? Retry { get; set; }

    /// <summary>
    /// See <see cref="RunEngineOptions.RetryPipeline"/>: a pipeline built in code that replaces the library's.
    /// Default null. Takes precedence over <see cref="RetryPipelineKey"/>.
    /// </summary>
    public ResiliencePipeline? RetryPipeline { get; set; }

    /// <summary>
    /// The key of a pipeline registered in the container (Polly's <c>services.AddResiliencePipeline(key, ...)</c>,
    /// resolved through <see cref="ResiliencePipelineProvider{TKey}"/> of <see cref="string"/>) that replaces the
    /// library's; bindable from configuration. Default null: the library's pipeline, built from <see cref="Retry"/>.
    /// </summary>
    public string? RetryPipelineKey { get; set; }

    /// <summary>
    /// PostgreSQL's own settings, bindable from configuration (section <c>RunEngineData:PostgreSql</c>, for example
    /// <c>"PostgreSql": { "Distribution": "Citus" }</c>); used by <c>UsePostgreSql</c> only. Default null: PostgreSQL's defaults.
    /// </summary>
    public PostgreSqlDataOptions? PostgreSql { get; set; }

    /// <summary>The names of the registered providers.</summary>
    internal IReadOnlyCollection<string> ProviderNames => _providers.Keys;

    /// <summary>
    /// Uses a database the caller builds (for example over a connection source the host already has). The container
    /// owns the returned object and disposes it on shutdown.
    /// </summary>
    /// <param name="factory">Creates the database; called once, on first use.</param>
    /// <returns>These options, for chaining.</returns>
    public RunEngineDataOptions UseDatabase(Func<IServiceProvider, RunEngineDatabase> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return AddProvider(new ProviderRegistration("Custom", null, requiresConnectionString: false, _ => null, (services, _) => factory(services)));
    }

    /// <summary>Registers a provider (called by the <c>Use...</c> extensions); a later call for the same name replaces it.</summary>
    internal RunEngineDataOptions AddProvider(ProviderRegistration registration)
    {
        _providers[registration.Name] = registration;
        return this;
    }

    /// <summary>The provider to use, or null when none or several match (the validator explains which).</summary>
    internal ProviderRegistration? Selected()
    {
        if (Provider is not null)
        {
            return _providers.GetValueOrDefault(Provider);
        }

        return _providers.Count == 1 ? _providers.Values.First() : null;
    }

    /// <summary>The connection string a registration uses: the one passed in code, else <see cref="ConnectionString"/>.</summary>
    internal string? ConnectionStringFor(ProviderRegistration registration) => registration.ConnectionString ?? ConnectionString;

    /// <summary>Copies the shared settings, and the container's clock and logger factory when given, onto provider options.</summary>
    internal T Apply<T>(T options, IServiceProvider? services)
        where T : RunEngineOptions
    {
        if (Schema is not null)
        {
            options.Schema = Schema;
        }

        if (TablePrefix is not null)
        {
            options.TablePrefix = TablePrefix;
        }

        if (CommandTimeout is { } timeout)
        {
            options.CommandTimeout = timeout;
        }

        if (LeaseClock is { } clock)
        {
            options.LeaseClock = clock;
        }

        if (Retry is not null)
        {
            options.Retry = Retry.Clone();
        }

        if (RetryPipeline is not null)
        {
            options.RetryPipeline = RetryPipeline;
        }
        else if (RetryPipelineKey is not null && services is not null)
        {
            options.RetryPipeline = services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(RetryPipelineKey);
        }

        if (services is not null)
        {
            options.TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
            options.LoggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        }

        return options;
    }
}
