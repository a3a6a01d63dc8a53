using Npgsql;
using RunEngine.Data.DependencyInjection;
using RunEngine.Data.PostgreSql;

namespace RunEngine.Data;

/// <summary>Chooses PostgreSQL in <see cref="RunEngineDataServiceCollectionExtensions.AddRunEngineData"/>.</summary>
public static class PostgreSqlRunEngineDataOptionsExtensions
{
    private const string Name = "PostgreSql";

    /// <summary>
    /// Uses PostgreSQL over a connection string; the library builds and owns its own <see cref="NpgsqlDataSource"/>.
    /// Registered under the name <c>PostgreSql</c>.
    /// </summary>
    /// <param name="options">The options being configured.</param>
    /// <param name="connectionString">An Npgsql connection string; null to take <see cref="RunEngineDataOptions.ConnectionString"/>.</param>
    /// <param name="configure">Sets PostgreSQL options after the shared ones are copied.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static RunEngineDataOptions UsePostgreSql(
        this RunEngineDataOptions options, string? connectionString = null, Action<PostgreSqlOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddProvider(new ProviderRegistration(
            Name,
            connectionString,
            requiresConnectionString: true,
            o => Validate(o, connectionString ?? o.ConnectionString, configure),
            (services, o) => PostgreSqlDatabase.Create(connectionString ?? o.ConnectionString!, Build(o, services, configure))));
    }

    /// <summary>
    /// Uses PostgreSQL over the host's <paramref name="dataSource"/>. The host keeps ownership: the data source is not
    /// disposed with the database. <see cref="RunEngineDataOptions.ConnectionString"/> is not used.
    /// </summary>
    /// <param name="options">The options being configured.</param>
    /// <param name="dataSource">The data source the database takes its connections from.</param>
    /// <param name="configure">Sets PostgreSQL options after the shared ones are copied.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static RunEngineDataOptions UsePostgreSql(
        this RunEngineDataOptions options, NpgsqlDataSource dataSource, Action<PostgreSqlOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return options.UsePostgreSql(_ => dataSource, configure);
    }

    /// <summary>
    /// Uses PostgreSQL over a data source taken from the container, for example the one Npgsql.DependencyInjection's
    /// <c>AddNpgsqlDataSource</c> registers: <c>o.UsePostgreSql(sp =&gt; sp.GetRequiredService&lt;NpgsqlDataSource&gt;())</c>.
    /// The container keeps ownership of the data source.
    /// </summary>
    /// <param name="options">The options being configured.</param>
    /// <param name="dataSource">Returns the data source; called once, when the database is first resolved.</param>
    /// <param name="configure">Sets PostgreSQL options after the shared ones are copied.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static RunEngineDataOptions UsePostgreSql(
        this RunEngineDataOptions options, Func<IServiceProvider, NpgsqlDataSource> dataSource, Action<PostgreSqlOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataSource);
        return options.AddProvider(new ProviderRegistration(
            Name,
            connectionString: null,
            requiresConnectionString: false,
            o => ProviderRegistration.Check(() => Build(o, null, configure).Validate()),
            (services, o) => PostgreSqlDatabase.Create(dataSource(services), Build(o, services, configure))));
    }

    private static PostgreSqlOptions Build(RunEngineDataOptions options, IServiceProvider? services, Action<PostgreSqlOptions>? configure)
    {
        var postgresOptions = options.Apply(new PostgreSqlOptions(), services);
        if (options.PostgreSql?.Distribution is { } distribution)
        {
            postgresOptions.Distribution = ParseDistribution(distribution);
        }

        configure?.Invoke(postgresOptions);
        return postgresOptions;
    }

    /// <summary>A <see cref="PostgreSqlDistribution"/> by its name (case-insensitive; not a number, which would bind any value).</summary>
    private static PostgreSqlDistribution ParseDistribution(string value)
    {
        var name = Enum.GetNames<PostgreSqlDistribution>().FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
        return name is not null
            ? Enum.Parse<PostgreSqlDistribution>(name)
            : throw new ArgumentException(
                $"RunEngineData:PostgreSql:Distribution is '{value}'; it must be None or Citus.", nameof(value));
    }

    private static string? Validate(RunEngineDataOptions options, string? connectionString, Action<PostgreSqlOptions>? configure)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // The parser's message is not repeated: it could quote part of the string.
            return "RunEngineData:ConnectionString cannot be parsed as a PostgreSQL connection string; check its keywords.";
        }

        return ProviderRegistration.Check(() => Build(options, null, configure).Validate());
    }
}
