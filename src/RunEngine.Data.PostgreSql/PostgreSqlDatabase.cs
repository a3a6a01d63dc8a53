using System.Data.Common;
using Npgsql;

namespace RunEngine.Data.PostgreSql;

/// <summary>Creates a <see cref="RunEngineDatabase"/> on PostgreSQL (inserts through binary COPY, reads and updates through Dapper).</summary>
public static class PostgreSqlDatabase
{
    private const string IncludeErrorDetail = "Include Error Detail";
    private const string NoResetOnClose = "No Reset On Close";
    private const string MaxAutoPrepare = "Max Auto Prepare";

    /// <summary>Statements Npgsql keeps prepared per connection of the library's own pool (least recently used go first).</summary>
    private const int AutoPreparedStatements = 64;

    /// <summary>
    /// Creates a database over <paramref name="connectionString"/>. The library builds its own
    /// <see cref="NpgsqlDataSource"/> (with its connection pool) and disposes it with the returned database.
    /// Unless the connection string sets <c>Include Error Detail</c> itself, it is turned on, so that a duplicate id,
    /// a taken position or a missing story is named with its key (PostgreSQL reports keys in the error detail, which
    /// Npgsql otherwise redacts); the rows' checks before sending keep row content out of the other errors' details.
    /// Unless the connection string sets <c>No Reset On Close</c> itself, it is turned on for the library's own
    /// operations, which leave no session state behind (no <c>DISCARD ALL</c> on every pooled open); sessions
    /// (<see cref="RunEngineDatabase.BeginSessionAsync"/>), whose connection the caller may use, come from a second
    /// pool of the same connection string that keeps the reset. Unless the connection string sets <c>Max Auto Prepare</c>
    /// itself, the library's own pool prepares its repeated statements automatically (Npgsql's automatic preparation:
    /// no extra round trip; <c>Max Auto Prepare=0</c> turns it off, for example behind PgBouncer in transaction mode
    /// before 1.21); sessions keep the connection string's setting. See docs/providers.md, "Round trips per call" and
    /// "Prepared statements".
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">Schema, table prefix, timeouts and clock; null for the defaults.</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed, or an option is out of range.</exception>
    public static RunEngineDatabase Create(string connectionString, PostgreSqlOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        options ??= new PostgreSqlOptions();
        options.Validate();
        var builder = Builder(connectionString);
        NpgsqlDataSource? sessions = null;
        // Npgsql resets a pooled connection (DISCARD ALL, prepended to its next command) so that session state one
        // user left (SET, temporary tables, session advisory locks, LISTEN) does not reach the next. The library's own
        // operations leave none: every statement runs in autocommit or in a transaction it ends (a connection still in
        // a transaction is rolled back by Npgsql when it returns to the pool, reset or not); its staging tables are
        // CREATE TEMPORARY ... ON COMMIT DROP, created inside that transaction and dropped by the batch, so a rollback
        // or a commit removes them on every path; it sends no session-level SET; its only advisory lock is
        // pg_advisory_xact_lock, released with the transaction. Prepared statements may stay (they are per
        // connection and harmless). So the reset is skipped for them, unless the caller's connection string decides.
        var ownPool = false;
        if (!Sets(connectionString, NoResetOnClose))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
            ownPool = true;
        }

        // The library's statements are few and repeated (a worker sends the same four or five texts for every batch), and
        // its longer ones (the data-modifying CTEs) cost the server about as much to plan as to run for a small batch:
        // pg_stat_statements put planning at 0.3-0.6 ms per call of the claim, the by-story change and the batch
        // completion. So the library's own pool lets Npgsql prepare them: a text sent Auto Prepare Min Usages times (5) on
        // a connection is prepared in the same round trip as its next execution, and later executions send no Parse and
        // are planned once for the connection (PostgreSQL's plan cache), with no extra round trip ever. Unless the
        // connection string sets Max Auto Prepare itself (0 turns it off, e.g. behind PgBouncer in transaction mode before
        // 1.21). Sessions, whose connection the caller uses for statements of their own, keep the connection string's
        // settings.
        if (!Sets(connectionString, MaxAutoPrepare))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatements;
            ownPool = true;
        }

        if (ownPool)
        {
            sessions = Builder(connectionString).Build();
        }

        var dataSource = builder.Build();
        try
        {
            return new RunEngineDatabase(new PostgreSqlProvider(options, dataSource, ownsDataSource: true, sessions));
        }
        catch
        {
            dataSource.Dispose();
            sessions?.Dispose();
            throw;
        }
    }

    private static NpgsqlDataSourceBuilder Builder(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!Sets(connectionString, IncludeErrorDetail))
        {
            builder.ConnectionStringBuilder.IncludeErrorDetail = true;
        }

        return builder;
    }

    /// <summary>
    /// Whether the connection string itself sets <paramref name="keyword"/> (under any of its spellings: keys are matched
    /// case-insensitively and without spaces, as Npgsql does). Not <c>NpgsqlConnectionStringBuilder.ContainsKey</c>,
    /// which is true for every keyword Npgsql knows, set or not.
    /// </summary>
    private static bool Sets(string connectionString, string keyword)
    {
        var keys = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys;
        return keys.Cast<string>().Any(k => string.Equals(k.Replace(" ", string.Empty, StringComparison.Ordinal), keyword.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
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
