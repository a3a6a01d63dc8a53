using Microsoft.Data.SqlClient;

namespace RunEngine.Data.SqlServer;

/// <summary>Creates <see cref="RunEngineDatabase"/> instances over SQL Server (Microsoft.Data.SqlClient).</summary>
public static class SqlServerDatabase
{
    /// <summary>
    /// Creates a database over SQL Server. Nothing is opened yet: each operation opens a pooled connection from
    /// <paramref name="connectionString"/>. Call <see cref="RunEngineDatabase.EnsureSchemaAsync"/> once to create the tables.
    /// </summary>
    /// <param name="connectionString">A Microsoft.Data.SqlClient connection string.</param>
    /// <param name="options">Schema, table prefix, timeouts, bulk settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed, or an option is out of range.</exception>
    public static RunEngineDatabase Create(string connectionString, SqlServerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        // Parse now so a malformed string fails here rather than at the first operation. The parser's messages name
        // the offending keyword, never the value.
        _ = new SqlConnectionStringBuilder(connectionString);
        return new RunEngineDatabase(new SqlServerProvider(connectionString, options ?? new SqlServerOptions()));
    }
}
