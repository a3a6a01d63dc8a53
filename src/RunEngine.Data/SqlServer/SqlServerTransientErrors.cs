using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using RunEngine.Data.Resilience;

namespace RunEngine.Data.SqlServer;

/// <summary>
/// SQL Server's transient errors: the one place that says which <see cref="SqlException"/> numbers are worth a retry
/// on a new connection, and why. Everything else (constraint violations, syntax, permissions, conversion errors) is
/// not transient. Used by <see cref="RunEngineDatabase.IsTransient"/> and by the SQL Server provider.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>1205 deadlock victim, 1222 lock request timeout (<c>SET LOCK_TIMEOUT</c>): the transaction was
/// rolled back by the server; the other transaction goes on, so a repeat normally succeeds.</description></item>
/// <item><description>40501 service busy, 49918/49919/49920 too many requests, 10928/10929 resource limits (Azure SQL
/// throttling): the server asks to come back later.</description></item>
/// <item><description>40613 database not available, 40197 error processing the request, 40540 service error, 4060
/// cannot open the database (Azure SQL reconfiguration and failover, during which the database moves). 4060 is also
/// what a misspelled database name gives; it is retried too, which costs only the retries' bounded time.</description></item>
/// <item><description>10053, 10054, 10060 (connection aborted, reset, timed out), 233 (no process on the other end of
/// the pipe), 64 (network name no longer available), 121 (semaphore timeout), and any error caused by an
/// <see cref="IOException"/> or <see cref="SocketException"/>: the connection broke, the next attempt opens a new
/// one (SqlClient evicts a broken connection from its pool).</description></item>
/// <item><description>-2 timeout expired: a stalled connection or a blocked statement reports itself so, and a
/// failover in progress does too. It is retried, bounded by <see cref="RetryOptions.Timeout"/>: under the defaults a
/// statement that used all of <see cref="RunEngineOptions.CommandTimeout"/> (30 s) leaves no time for a retry, so
/// only shorter command timeouts are ever repeated.</description></item>
/// </list>
/// </remarks>
internal static class SqlServerTransientErrors
{
    /// <summary>The reason of SqlClient's timeout (-2).</summary>
    public const string TimeoutReason = "sqlserver:-2";

    /// <summary>The numbers retried (see the remarks for why each).</summary>
    public static IReadOnlySet<int> Numbers { get; } = new HashSet<int>
    {
        1205, 1222,
        40501, 49918, 49919, 49920, 10928, 10929,
        40613, 40197, 40540, 4060,
        10053, 10054, 10060, 233, 64, 121,
        -2,
    };

    /// <summary>Why <paramref name="exception"/> is transient (<c>sqlserver:1205</c>, <c>io</c>), or null when it is not.</summary>
    public static string? Reason(SqlException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        foreach (SqlError error in exception.Errors)
        {
            if (Numbers.Contains(error.Number))
            {
                return Format(error.Number);
            }
        }

        if (Numbers.Contains(exception.Number))
        {
            return Format(exception.Number);
        }

        // A connection reset often arrives with no number of the list (0, or the managed network layer's own) and the
        // socket's error inside.
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is IOException or SocketException)
            {
                return TransientErrors.Io;
            }
        }

        return null;
    }

    private static string Format(int number) => "sqlserver:" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
