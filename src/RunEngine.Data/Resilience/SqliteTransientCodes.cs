using System.Data.Common;
using System.Globalization;
using System.Reflection;

namespace RunEngine.Data.Resilience;

/// <summary>
/// SQLite's transient result codes: the one place that says which are worth a retry, and why. In the core, like
/// <see cref="PostgreSqlTransientStates"/>, because <see cref="RunEngineDatabase.IsTransient"/> must classify
/// Microsoft.Data.Sqlite's exceptions without the SQLite package: <c>SqliteException</c> sets neither
/// <see cref="DbException.SqlState"/> nor <see cref="DbException.IsTransient"/> nor <c>ErrorCode</c>,
/// so its public <c>SqliteErrorCode</c> and <c>SqliteExtendedErrorCode</c> are read by name (once per type). The SQLite
/// provider reads the same codes from the typed exception.
/// </summary>
/// <remarks>
/// SQLITE_BUSY (5; extended 261 BUSY_RECOVERY, 517 BUSY_SNAPSHOT, 773 BUSY_TIMEOUT): another connection holds the
/// database's write lock (or a WAL snapshot is stale) beyond the busy timeout; it will be released. SQLITE_LOCKED (6;
/// 262 LOCKED_SHAREDCACHE, 518 LOCKED_VTAB): a table is locked by another connection of the same shared cache.
/// Both leave the transaction rolled back (the library's own transaction is abandoned on any error), so a repeat is
/// safe. Every other code (constraints, I/O errors of the file, corruption, read-only) is not transient.
/// </remarks>
internal static class SqliteTransientCodes
{
    public const int Busy = 5;
    public const int Locked = 6;
    private const string SqliteExceptionType = "Microsoft.Data.Sqlite.SqliteException";

    // A reference, so that a reader never sees one type's properties with another's (a tuple struct could tear).
    private static Tuple<Type, PropertyInfo?, PropertyInfo?>? _properties;

    /// <summary>Why a SQLite result code is transient (<c>sqlite:5</c>), or null when it is not.</summary>
    /// <param name="code">The primary result code.</param>
    /// <param name="extended">The extended result code (its low byte is the primary code).</param>
    public static string? Reason(int code, int extended)
    {
        var primary = code is Busy or Locked ? code : extended & 0xFF;
        return primary is Busy or Locked ? "sqlite:" + primary.ToString(CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Reads a Microsoft.Data.Sqlite <c>SqliteException</c>'s codes without naming its type; false for any other exception.</summary>
    public static bool TryRead(DbException exception, out int code, out int extended)
    {
        ArgumentNullException.ThrowIfNull(exception);
        code = extended = 0;
        var type = exception.GetType();
        if (!string.Equals(type.FullName, SqliteExceptionType, StringComparison.Ordinal))
        {
            return false;
        }

        var properties = _properties;
        if (properties is null || properties.Item1 != type)
        {
            properties = Tuple.Create(type, type.GetProperty("SqliteErrorCode"), type.GetProperty("SqliteExtendedErrorCode"));
            _properties = properties;
        }

        if (properties.Item2?.GetValue(exception) is not int primary)
        {
            return false;
        }

        code = primary;
        extended = properties.Item3?.GetValue(exception) is int value ? value : primary;
        return true;
    }
}
