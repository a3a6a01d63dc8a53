namespace RunEngine.Data.Resilience;

/// <summary>
/// PostgreSQL's transient SQLSTATEs: the one place that says which are worth a retry, and why. It lives in the core,
/// not in the PostgreSQL package, because <see cref="RunEngineDatabase.IsTransient"/> must classify Npgsql's exceptions
/// without that package (or a database) being loaded: it reads the standard <see cref="System.Data.Common.DbException.SqlState"/>,
/// which Npgsql's <c>PostgresException</c> sets. The PostgreSQL provider reads the same table from the typed exception.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Class 08 (connection exception: 08000, 08003, 08006, 08001, 08004, 08007, 08P01): the
/// connection is gone or was refused; the next attempt opens a new one.</description></item>
/// <item><description>40001 serialization failure, 40P01 deadlock detected: the server rolled the transaction back so
/// that another could go on; a repeat normally succeeds.</description></item>
/// <item><description>55P03 lock not available (<c>lock_timeout</c>, <c>NOWAIT</c>): another transaction held the
/// lock; it will be released.</description></item>
/// <item><description>57P01 admin shutdown (also what <c>pg_terminate_backend</c> gives), 57P02 crash shutdown, 57P03
/// cannot connect now (starting up, failing over), 57P05 idle session timeout: the server ended the connection; a new
/// one works once it is back.</description></item>
/// <item><description>53300 too many connections: the server's connection slots are full for now.</description></item>
/// </list>
/// Not transient: 57014 query canceled (the caller's token, or <c>statement_timeout</c>: the server's own bound,
/// which a repeat would only hit again), 53100 disk full and 53200 out of memory (they do not clear in seconds), and
/// every integrity, syntax or data error. Npgsql's own errors without a SQLSTATE (a broken stream, a timeout) are
/// transient when they were caused by I/O, a socket or a timeout (see <see cref="TransientErrors"/>).
/// </remarks>
internal static class PostgreSqlTransientStates
{
    private static readonly HashSet<string> States = new(StringComparer.Ordinal)
    {
        "40001", "40P01", "55P03", "57P01", "57P02", "57P03", "57P05", "53300",
    };

    /// <summary>Why a SQLSTATE is transient (<c>sqlstate:40P01</c>), or null when it is not.</summary>
    public static string? Reason(string? sqlState)
    {
        if (sqlState is not { Length: 5 })
        {
            return null;
        }

        return sqlState.StartsWith("08", StringComparison.Ordinal) || States.Contains(sqlState) ? "sqlstate:" + sqlState : null;
    }
}
