using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.SqlClient;
using RunEngine.Data.Providers;

namespace RunEngine.Data.SqlServer;

/// <summary>
/// Maps SQL Server error numbers to the kinds of error the repositories translate, and reads their messages: 2627 and
/// 2601 name the constraint or index and print the key ("The duplicate key value is (…)."); 547 names the foreign key
/// but prints no value, and no error of a bulk load or multi-row INSERT names the row.
/// </summary>
/// <remarks>
/// The message text is in the session's language (<c>SET LANGUAGE</c>, or the login's or server's default), so the
/// English phrases are only the first way in. The library's own constraint names (built from the table prefix, the
/// same in every language) are looked for anywhere in the text, and a printed key is taken from the last
/// parenthesized list only when its values parse as the key's columns (uniqueidentifier, int). Whatever cannot be read
/// is left out, and the translation falls back to its look-ups of the batch's window: a message in another language
/// never throws here and never names a key the error was not about.
/// </remarks>
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

    // The unique constraints and foreign keys the shipped scripts create, without the prefix (000 to 003; 001's
    // cards (story_id, position) key and foreign key are gone at version 3 but are still named on older schemas).
    private static readonly string[] LibraryUniqueNames =
    [
        "PK_{0}stories", "PK_{0}cards", "PK_{0}run_log", "UQ_{0}stories_run_id_position", "UQ_{0}stories_run_id_id",
        "UQ_{0}cards_run_id_story_id_position", "UQ_{0}cards_story_id_position",
    ];

    private static readonly string[] LibraryForeignKeyNames = ["FK_{0}cards_run_id_story_id_stories", "FK_{0}cards_stories"];

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
    /// <param name="exception">The error, a <see cref="SqlException"/> or one wrapping it.</param>
    /// <param name="prefix">The configured table prefix: the library's constraint names are found by it in any language.</param>
    public static ConstraintViolation? Describe(Exception exception, string prefix)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                return Describe(aggregate.InnerExceptions[0], prefix);
            }

            if (current is SqlException sql)
            {
                foreach (SqlError error in sql.Errors)
                {
                    if (Describe(error.Number, error.Message, prefix) is { } violation)
                    {
                        return violation;
                    }
                }

                return Describe(sql.Number, sql.Message, prefix);
            }
        }

        return null;
    }

    /// <summary>Describes an error from its number and message text (unit-testable on recorded texts); null when it is no key violation.</summary>
    public static ConstraintViolation? Describe(int number, string message, string prefix = "re_")
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(prefix);
        switch (number)
        {
            case UniqueConstraintViolation or UniqueIndexViolation:
                var name = UniqueName().Match(message) is { Success: true } named
                    ? named.Groups["name"].Value
                    : LibraryName(message, LibraryUniqueNames, prefix);
                var (key, columns) = UniqueKeyOf(name);
                var values = PrintedValues(message, columns);
                return new ConstraintViolation(DbErrorKind.UniqueViolation)
                {
                    Key = key,
                    Constraint = name,
                    Columns = columns is not null && values is not null && columns.Length == values.Length ? columns : null,
                    Values = values,
                };

            // 547 also covers CHECK constraints: only a FOREIGN KEY conflict is a missing parent. In another language
            // only the library's own foreign keys are recognized, by name.
            case ConstraintConflict when (ForeignKeyName().Match(message) is { Success: true } foreignKey
                    ? foreignKey.Groups["name"].Value
                    : LibraryName(message, LibraryForeignKeyNames, prefix)) is { } foreignKeyName:
                return new ConstraintViolation(DbErrorKind.ForeignKeyViolation)
                {
                    Key = ViolatedKey.Parent,
                    Constraint = foreignKeyName,
                    Hint = ForeignKeyHint,
                };
            default:
                return null;
        }
    }

    /// <summary>
    /// The printed key: "The duplicate key value is (…)." in English; in another language the last parenthesized list,
    /// and then only for a known key whose values all parse as its columns' types. Null when it cannot be read.
    /// </summary>
    private static string[]? PrintedValues(string message, string[]? columns)
    {
        if (DuplicateValue().Match(message) is { Success: true } english)
        {
            var printed = english.Groups["values"].Value.Split(", ", StringSplitOptions.TrimEntries);
            return columns is null || Parses(printed, columns) ? printed : null;
        }

        if (columns is null || LastParenthesized().Match(message) is not { Success: true } last)
        {
            return null;
        }

        var values = last.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries);
        return Parses(values, columns) ? values : null;
    }

    /// <summary>Whether every value reads as its column's type (ids are uniqueidentifier, position is int).</summary>
    private static bool Parses(string[] values, string[] columns) =>
        values.Length == columns.Length
        && values.Zip(columns).All(p => p.Second == "position"
            ? int.TryParse(p.First, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            : Guid.TryParse(p.First, out _));

    /// <summary>The longest of the library's constraint names that stands in the message as a whole identifier.</summary>
    private static string? LibraryName(string message, string[] patterns, string prefix)
    {
        string? found = null;
        foreach (var pattern in patterns)
        {
            var name = string.Format(CultureInfo.InvariantCulture, pattern, prefix);
            if ((found is null || name.Length > found.Length) && ContainsIdentifier(message, name))
            {
                found = name;
            }
        }

        return found;
    }

    private static bool ContainsIdentifier(string message, string name)
    {
        for (var at = message.IndexOf(name, StringComparison.Ordinal); at >= 0; at = message.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            var end = at + name.Length;
            if ((at == 0 || !IsIdentifierChar(message[at - 1])) && (end == message.Length || !IsIdentifierChar(message[end])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '@' or '#' or '$';

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

    [GeneratedRegex(@"\((?<values>[^()]*)\)[^()]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LastParenthesized();

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
