using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Sqlite.Providers;

/// <summary>
/// Reads SQLite's constraint errors. A unique failure lists the key's columns ("UNIQUE constraint failed:
/// stories.run_id, stories.position"); a foreign-key failure names nothing ("FOREIGN KEY constraint failed"). Neither
/// prints values, but SQLite writes one row per statement, so the rejected row itself is known (its key values are
/// read from it by the shared translation).
/// </summary>
internal static partial class SqliteErrors
{
    // SQLITE_CONSTRAINT and its extended codes (https://sqlite.org/rescode.html).
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintForeignKey = 787;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    /// <summary>
    /// The provider's typed reading of a transient error: SQLITE_BUSY and SQLITE_LOCKED with their extended codes (the
    /// table of <see cref="RunEngine.Data.Resilience.SqliteTransientCodes"/>). The same answers as the core's untyped
    /// reading (<see cref="RunEngineDatabase.IsTransient"/>).
    /// </summary>
    public static RunEngine.Data.Resilience.TransientDecision ReadTransient(Exception exception) => exception is SqliteException sqlite
        ? RunEngine.Data.Resilience.TransientDecision.Of(RunEngine.Data.Resilience.SqliteTransientCodes.Reason(sqlite.SqliteErrorCode, sqlite.SqliteExtendedErrorCode))
        : RunEngine.Data.Resilience.TransientDecision.Undecided;

    public static DbErrorKind Classify(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintPrimaryKey or SqliteConstraintUnique } =>
            DbErrorKind.UniqueViolation,
        SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintForeignKey } =>
            DbErrorKind.ForeignKeyViolation,
        _ => DbErrorKind.Other,
    };

    public static ConstraintViolation? Describe(Exception exception) => Classify(exception) switch
    {
        DbErrorKind.UniqueViolation => Describe(DbErrorKind.UniqueViolation, exception.Message),
        DbErrorKind.ForeignKeyViolation => Describe(DbErrorKind.ForeignKeyViolation, exception.Message),
        _ => null,
    };

    /// <summary>Describes a constraint error of the given kind from its message text (unit-testable).</summary>
    public static ConstraintViolation Describe(DbErrorKind kind, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (kind == DbErrorKind.ForeignKeyViolation)
        {
            return new ConstraintViolation(kind) { Key = ViolatedKey.Parent };
        }

        if (UniqueColumns().Match(message) is not { Success: true } match)
        {
            return new ConstraintViolation(kind);
        }

        // "table.column" each; the key is the id when the list includes it (the primary key, or stories (run_id, id)).
        var columns = match.Groups["columns"].Value
            .Split(", ", StringSplitOptions.TrimEntries)
            .Select(qualified => qualified[(qualified.LastIndexOf('.') + 1)..])
            .ToArray();
        return new ConstraintViolation(kind)
        {
            Key = columns.Contains("id", StringComparer.Ordinal) ? ViolatedKey.Id : ViolatedKey.NaturalKey,
            Columns = columns,
        };
    }

    [GeneratedRegex(@"(?:UNIQUE|PRIMARY KEY) constraint failed: (?<columns>[^']+)", RegexOptions.CultureInvariant)]
    private static partial Regex UniqueColumns();
}
