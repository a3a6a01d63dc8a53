using Microsoft.Data.Sqlite;
using RunEngine.Data.DependencyInjection;
using RunEngine.Data.Sqlite;

namespace RunEngine.Data;

/// <summary>Chooses SQLite in <see cref="RunEngineDataServiceCollectionExtensions.AddRunEngineData"/>.</summary>
public static class SqliteRunEngineDataOptionsExtensions
{
    /// <summary>
    /// Uses SQLite (<see cref="SqliteDatabase.Create"/>); registered under the name <c>Sqlite</c>. SQLite has no schemas:
    /// leave <see cref="RunEngineDataOptions.Schema"/> unset (or <c>main</c>).
    /// </summary>
    /// <param name="options">The options being configured.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string such as <c>Data Source=runs.db</c>; null to
    /// take <see cref="RunEngineDataOptions.ConnectionString"/> (from configuration, say).</param>
    /// <param name="configure">Sets SQLite options (write-ahead log, busy timeout) after the shared ones are copied.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static RunEngineDataOptions UseSqlite(
        this RunEngineDataOptions options, string? connectionString = null, Action<SqliteOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddProvider(new ProviderRegistration(
            "Sqlite",
            connectionString,
            requiresConnectionString: true,
            o => Validate(o, connectionString ?? o.ConnectionString, configure),
            (services, o) => SqliteDatabase.Create(connectionString ?? o.ConnectionString!, Build(o, services, configure))));
    }

    private static SqliteOptions Build(RunEngineDataOptions options, IServiceProvider? services, Action<SqliteOptions>? configure)
    {
        var sqliteOptions = options.Apply(new SqliteOptions(), services);
        configure?.Invoke(sqliteOptions);
        return sqliteOptions;
    }

    private static string? Validate(RunEngineDataOptions options, string? connectionString, Action<SqliteOptions>? configure)
    {
        try
        {
            _ = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // The parser's message is not repeated: it could quote part of the string.
            return "RunEngineData:ConnectionString cannot be parsed as an SQLite connection string; check its keywords.";
        }

        return ProviderRegistration.Check(() => Build(options, null, configure).Validate());
    }
}
