using System.Text.RegularExpressions;
using Microsoft.Data.SqlClient;
using RunEngine.Data.Providers;

namespace RunEngine.Data.SqlServer;

/// <summary>
/// Maps SQL Server error numbers to the kinds of error the repositories translate, and reads their messages: 2627 and
/// 2601 name the constraint or index and print the key ("The duplicate key value is (…)."); 547 names the foreign key
/// but prints no value, and no error of a bulk load or multi-row INSERT names the row.
/// </summary>
internal static partial class SqlServerErrors
{
    /// <summary>What the message says when a foreign-key error carried no key.</summary>
    public const string ForeignKeyHint = "SQL Server's error 547 names the constraint but not the key";

    // Unique constraints whose names end with their columns, longest first ("…_run_id_story_id_position" also ends
    // with "_story_id_position"). Stories (run_id, id) backs the cards' composite foreign key: it repeats an id.
    private static readonly (string Suffix, ViolatedKey Key, string[] Columns)[] UniqueKeys =
    [
        ("_run_id_story_id_position", ViolatedKey.NaturalKey, ["run_id", "story_id", "position"]),
        ("_story_id_position", ViolatedKey.NaturalKey, ["story_id", "position"]),
        ("_run_id_position", ViolatedKey.NaturalKey, ["run_id", "position"]),
        ("_run_id_id", ViolatedKey.Id, ["run_id", "id"]),
    ];

    /// <summary>Violation of a PRIMARY KEY or UNIQUE constraint.</summary>
    public const int UniqueConstraintViolation = 2627;

    /// <summary>Duplicate key row in a unique index.</summary>
    public const int UniqueIndexViolation = 2601;

    /// <summary>A statement conflicted with a FOREIGN KEY (or CHECK) constraint.</summary>
    public const int ConstraintConflict = 547;

    public static DbErrorKind Classify(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                return Classify(aggregate.InnerExceptions[0]);
            }

            if (current is SqlException sql)
            {
                return Classify(sql.Errors.Cast<SqlError>().Select(e => e.Number).Append(sql.Number));
            }
        }

        return DbErrorKind.Other;
    }

    /// <summary>Describes a unique or foreign-key error; null for any other error.</summary>
    public static ConstraintViolation? Describe(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                return Describe(aggregate.InnerExceptions[0]);
            }

            if (current is SqlException sql)
            {
                foreach (SqlError error in sql.Errors)
                {
                    if (Describe(error.Number, error.Message) is { } violation)
                    {
                        return violation;
                    }
                }

                return Describe(sql.Number, sql.Message);
            }
        }

        return null;
    }

    /// <summary>Describes an error from its number and message text (unit-testable on recorded texts); null when it is no key violation.</summary>
    public static ConstraintViolation? Describe(int number, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (number)
        {
            case UniqueConstraintViolation or UniqueIndexViolation:
                var name = UniqueName().Match(message) is { Success: true } named ? named.Groups["name"].Value : null;
                var values = DuplicateValue().Match(message) is { Success: true } duplicate
                    ? duplicate.Groups["values"].Value.Split(", ", StringSplitOptions.TrimEntries)
                    : null;
                var (key, columns) = UniqueKeyOf(name);
                return new ConstraintViolation(DbErrorKind.UniqueViolation)
                {
                    Key = key,
                    Constraint = name,
                    Columns = columns is not null && values is not null && columns.Length == values.Length ? columns : null,
                    Values = values,
                };

            // 547 also covers CHECK constraints: only a FOREIGN KEY conflict is a missing parent.
            case ConstraintConflict when ForeignKeyName().Match(message) is { Success: true } foreignKey:
                return new ConstraintViolation(DbErrorKind.ForeignKeyViolation)
                {
                    Key = ViolatedKey.Parent,
                    Constraint = foreignKey.Groups["name"].Value,
                    Hint = ForeignKeyHint,
                };
            default:
                return null;
        }
    }

    private static (ViolatedKey Key, string[]? Columns) UniqueKeyOf(string? name)
    {
        if (name is null)
        {
            return (ViolatedKey.Unknown, null);
        }

        if (name.StartsWith("PK_", StringComparison.Ordinal))
        {
            return (ViolatedKey.Id, ["id"]);
        }

        foreach (var (suffix, key, columns) in UniqueKeys)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return (key, columns);
            }
        }

        return (ViolatedKey.Unknown, null);
    }

    [GeneratedRegex(@"(?:constraint|unique index) '(?<name>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex UniqueName();

    [GeneratedRegex(@"The duplicate key value is \((?<values>.*)\)\.", RegexOptions.CultureInvariant)]
    private static partial Regex DuplicateValue();

    [GeneratedRegex(@"FOREIGN KEY constraint ""(?<name>[^""]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex ForeignKeyName();

    /// <summary>Classifies by error numbers; the first one the library knows wins (SQL Server appends 3621 "statement terminated").</summary>
    public static DbErrorKind Classify(IEnumerable<int> numbers)
    {
        foreach (var number in numbers)
        {
            switch (number)
            {
                case UniqueConstraintViolation or UniqueIndexViolation:
                    return DbErrorKind.UniqueViolation;

                // 547 also covers CHECK constraints; the translation looks the parent ids up and, when none is missing,
                // rethrows the original error, so a misread CHECK violation is never reported as a missing story.
                case ConstraintConflict:
                    return DbErrorKind.ForeignKeyViolation;
            }
        }

        return DbErrorKind.Other;
    }
}
