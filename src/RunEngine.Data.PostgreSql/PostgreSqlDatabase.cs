using Npgsql;

namespace RunEngine.Data.PostgreSql;

/// <summary>Creates a <see cref="RunEngineDatabase"/> on PostgreSQL (inserts through binary COPY, reads and updates through Dapper).</summary>
public static class PostgreSqlDatabase
{
    /// <summary>
    /// Creates a database over <paramref name="connectionString"/>. The library builds its own
    /// <see cref="NpgsqlDataSource"/> (with its connection pool) and disposes it with the returned database.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">Schema, table prefix, timeouts and clock; null for the defaults.</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed, or an option is out of range.</exception>
    public static RunEngineDatabase Create(string connectionString, PostgreSqlOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        options ??= new PostgreSqlOptions();
        options.Validate();
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            return new RunEngineDatabase(new PostgreSqlProvider(options, dataSource, ownsDataSource: true));
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates a database over the host's <paramref name="dataSource"/> (for example one registered with dependency
    /// injection). The host keeps ownership: disposing the returned database does not dispose the data source.
    /// </summary>
    /// <param name="dataSource">The data source the database takes its connections from.</param>
    /// <param name="options">Schema, table prefix, timeouts and clock; null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static RunEngineDatabase Create(NpgsqlDataSource dataSource, PostgreSqlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return new RunEngineDatabase(new PostgreSqlProvider(options ?? new PostgreSqlOptions(), dataSource, ownsDataSource: false));
    }
}
