using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RunEngine.Data.DependencyInjection;

namespace RunEngine.Data;

/// <summary>Registers RunEngine.Data with a Microsoft.Extensions.DependencyInjection container.</summary>
public static class RunEngineDataServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RunEngineDatabase"/> and its repositories for the provider chosen in
    /// <paramref name="configure"/>, for example <c>services.AddRunEngineData(o =&gt; o.UseSqlServer(connectionString))</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Lifetimes: everything is a singleton. <see cref="RunEngineDatabase"/> is thread-safe and holds no connection
    /// between calls: each repository call takes its own pooled connection and transaction, so
    /// <see cref="IStoryRepository"/>, <see cref="ICardRepository"/>, <see cref="IStoryClaims"/> and <see cref="IRunLog"/>
    /// (the database's own repositories) are safe to inject anywhere, including into other singletons and hosted
    /// services. For several calls in one transaction, use <see cref="RunEngineDatabase.BeginSessionAsync"/> or
    /// <see cref="RunEngineDatabase.Join"/> on the injected database. The container disposes the database on shutdown.
    /// </para>
    /// <para>
    /// The options (<see cref="RunEngineDataOptions"/>) are validated when the host starts (<c>ValidateOnStart</c>) and
    /// again when the database is first resolved; a <see cref="OptionsValidationException"/> says what to set.
    /// The database takes <see cref="TimeProvider"/> and <c>ILoggerFactory</c> from the container when they are
    /// registered (<see cref="TimeProvider.System"/> is registered if none is). Calling this method again adds to the
    /// same options; existing registrations are kept (<c>TryAdd</c>).
    /// </para>
    /// </remarks>
    /// <param name="services">The container.</param>
    /// <param name="configure">Chooses the provider (<c>UseSqlServer</c>, <c>UseSqlite</c>, <c>UsePostgreSql</c>,
    /// <see cref="RunEngineDataOptions.UseDatabase"/>) and sets shared options.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddRunEngineData(this IServiceCollection services, Action<RunEngineDataOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<RunEngineDataOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RunEngineDataOptions>, RunEngineDataOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(CreateDatabase);
        services.TryAddSingleton(sp => sp.GetRequiredService<RunEngineDatabase>().Stories);
        services.TryAddSingleton(sp => sp.GetRequiredService<RunEngineDatabase>().Cards);
        services.TryAddSingleton(sp => sp.GetRequiredService<RunEngineDatabase>().Claims);
        services.TryAddSingleton(sp => sp.GetRequiredService<RunEngineDatabase>().RunLog);
        return services;
    }

    private static RunEngineDatabase CreateDatabase(IServiceProvider services)
    {
        // Reading Value runs the validator, so an invalid configuration fails here with its message too.
        var options = services.GetRequiredService<IOptions<RunEngineDataOptions>>().Value;
        var registration = options.Selected() ?? throw new InvalidOperationException("No RunEngine.Data provider is selected.");
        return registration.Create(services, options);
    }
}
