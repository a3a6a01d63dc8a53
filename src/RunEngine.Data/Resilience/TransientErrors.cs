using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using RunEngine.Data.SqlServer;

namespace RunEngine.Data.Resilience;

/// <summary>
/// Tells a transient error from any other, for every provider, without a database: the body of
/// <see cref="RunEngineDatabase.IsTransient"/> and the default of <see cref="Providers.DatabaseProvider.TransientReason"/>.
/// Each provider's codes live in one place (<see cref="SqlServerTransientErrors"/>, <see cref="PostgreSqlTransientStates"/>,
/// <see cref="SqliteTransientCodes"/>); this class walks the exception and its inner exceptions and asks them.
/// </summary>
/// <remarks>
/// The walk stops at the first exception that decides: a <see cref="TransientFaultException"/> (transient), any
/// other <see cref="RunEngineDataException"/> or an <see cref="OperationCanceledException"/> (not transient: a rejected
/// batch, a conflict, a cancelled token), or a <see cref="DbException"/>, which its driver's codes decide. A
/// <see cref="DbException"/> without a code the tables know is transient when it was caused by an
/// <see cref="IOException"/>, a <see cref="SocketException"/> or a <see cref="TimeoutException"/> (a broken or stalled
/// connection: Npgsql's "Exception while reading from stream"), or when its driver says so
/// (<see cref="DbException.IsTransient"/>). An I/O error outside a driver's exception is not transient: it may be the
/// caller's own (a lazy input reading a file).
/// </remarks>
internal static class TransientErrors
{
    /// <summary>The reason of an error caused by a broken connection.</summary>
    public const string Io = "io";

    /// <summary>The reason of an error caused by a timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The reason of an error its driver calls transient (<see cref="DbException.IsTransient"/>) without a code the tables know.</summary>
    public const string Driver = "driver";

    /// <summary>
    /// Whether a reason of <see cref="Reason"/> is a timeout (a stalled connection or a slow statement). A write whose
    /// own <see cref="BulkInsertOptions.Timeout"/> ran out is not repeated: the caller bounded the whole write.
    /// </summary>
    public static bool IsTimeout(string? reason) => reason == Timeout || reason == SqlServerTransientErrors.TimeoutReason;

    /// <summary>Whether <paramref name="exception"/> is transient.</summary>
    public static bool IsTransient(Exception? exception) => Reason(exception) is not null;

    /// <summary>Why <paramref name="exception"/> is transient (a low-cardinality code such as <c>sqlstate:40P01</c>), or null when it is not.</summary>
    /// <param name="exception">The error.</param>
    /// <param name="typed">A provider's own reading of one exception of the chain (null: undecided), asked before the shared rules.</param>
    public static string? Reason(Exception? exception, Func<Exception, TransientDecision>? typed = null)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                return Reason(aggregate.InnerExceptions[0], typed);
            }

            if (typed?.Invoke(current) is { Decided: true } decision)
            {
                return decision.Reason;
            }

            switch (current)
            {
                case TransientFaultException fault:
                    return Reason(fault.InnerException, typed) ?? Driver;
                case RunEngineDataException or OperationCanceledException:
                    return null;
                case SqlException sql:
                    return SqlServerTransientErrors.Reason(sql);
                case DbException db when db.SqlState is { Length: 5 } state:
                    return PostgreSqlTransientStates.Reason(state);
                case DbException db when SqliteTransientCodes.TryRead(db, out var code, out var extended):
                    return SqliteTransientCodes.Reason(code, extended);
                case DbException db:
                    return CausedByConnection(db) ?? (db.IsTransient ? Driver : null);
            }
        }

        return null;
    }

    /// <summary><see cref="Io"/> or <see cref="Timeout"/> when an inner exception of <paramref name="exception"/> says the connection broke or stalled.</summary>
    public static string? CausedByConnection(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case IOException or SocketException:
                    return Io;
                case TimeoutException:
                    return Timeout;
            }
        }

        return null;
    }
}
