using Microsoft.Data.SqlClient;
using RunEngine.Data.DependencyInjection;
using RunEngine.Data.SqlServer;

namespace RunEngine.Data;

/// <summary>Chooses SQL Server in <see cref="RunEngineDataServiceCollectionExtensions.AddRunEngineData"/>.</summary>
public static class SqlServerRunEngineDataOptionsExtensions
{
    /// <summary>Uses SQL Server (<see cref="SqlServerDatabase.Create"/>); registered under the name <c>SqlServer</c>.</summary>
    /// <param name="options">The options being configured.</param>
    /// <param name="connectionString">A Microsoft.Data.SqlClient connection string; null to take
    /// <see cref="RunEngineDataOptions.ConnectionString"/> (from configuration, say).</param>
    /// <param name="configure">Sets SQL Server options (bulk copy threshold, constraint checks) after the shared ones are copied.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static RunEngineDataOptions UseSqlServer(
        this RunEngineDataOptions options, string? connectionString = null, Action<SqlServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddProvider(new ProviderRegistration(
            "SqlServer",
            connectionString,
            requiresConnectionString: true,
            o => Validate(o, o.ConnectionString, connectionString, configure),
            (services, o) => SqlServerDatabase.Create(connectionString ?? o.ConnectionString!, Build(o, services, configure))));
    }

    private static SqlServerOptions Build(RunEngineDataOptions options, IServiceProvider? services, Action<SqlServerOptions>? configure)
    {
        var sqlOptions = options.Apply(new SqlServerOptions(), services);
        configure?.Invoke(sqlOptions);
        return sqlOptions;
    }

    private static string? Validate(RunEngineDataOptions options, string? configured, string? passed, Action<SqlServerOptions>? configure)
    {
        try
        {
            _ = new SqlConnectionStringBuilder(passed ?? configured);
        }
        catch (ArgumentException)
        {
            // The parser's message is not repeated: it could quote part of the string.
            return "RunEngineData:ConnectionString cannot be parsed as a SQL Server connection string; check its keywords.";
        }

        return ProviderRegistration.Check(() => Build(options, null, configure).Validate());
    }
}
