using System.Data.Common;
using Npgsql;

namespace RunEngine.Data.PostgreSql;

/// <summary>Creates a <see cref="RunEngineDatabase"/> on PostgreSQL (inserts through binary COPY, reads and updates through Dapper).</summary>
public static class PostgreSqlDatabase
{
    private const string IncludeErrorDetail = "Include Error Detail";

    /// <summary>
    /// Creates a database over <paramref name="connectionString"/>. The library builds its own
    /// <see cref="NpgsqlDataSource"/> (with its connection pool) and disposes it with the returned database.
    /// Unless the connection string sets <c>Include Error Detail</c> itself, it is turned on, so that a duplicate id,
    /// a taken position or a missing story is named with its key (PostgreSQL reports keys in the error detail, which
    /// Npgsql otherwise redacts); the rows' checks before sending keep row content out of the other errors' details.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">Schema, table prefix, timeouts and clock; null for the defaults.</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed, or an option is out of range.</exception>
    public static RunEngineDatabase Create(string connectionString, PostgreSqlOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        options ??= new PostgreSqlOptions();
        options.Validate();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!SetsIncludeErrorDetail(connectionString))
        {
            builder.ConnectionStringBuilder.IncludeErrorDetail = true;
        }

        var dataSource = builder.Build();
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
    /// Whether the connection string itself sets Include Error Detail (under any of its spellings: keys are matched
    /// case-insensitively and without spaces, as Npgsql does). Not <c>NpgsqlConnectionStringBuilder.ContainsKey</c>,
    /// which is true for every keyword Npgsql knows, set or not.
    /// </summary>
    private static bool SetsIncludeErrorDetail(string connectionString)
    {
        var keys = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys;
        return keys.Cast<string>().Any(k => string.Equals(k.Replace(" ", string.Empty, StringComparison.Ordinal), IncludeErrorDetail.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
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
