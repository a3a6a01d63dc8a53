using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using RunEngine.Data.Providers;

namespace RunEngine.Data.PostgreSql;

/// <summary>
/// Reads PostgreSQL's unique (23505) and foreign-key (23503) errors: the constraint's name says which key; the detail
/// (<c>Key (id)=(…) already exists.</c>, <c>Key (run_id, story_id)=(…) is not present in table …</c>) carries the key
/// when the data source has Include Error Detail; the context of a unique error raised inside a COPY
/// (<c>COPY stories, line N</c>) gives the rejected row (line N is the batch's position N − 1).
/// </summary>
internal static partial class PostgreSqlErrors
{
    /// <summary>What the message says when the key is missing because Npgsql redacted the detail.</summary>
    public const string RedactedHint =
        "PostgreSQL's error detail, which names the key, was redacted by Npgsql: set Include Error Detail=true on the connection string " +
        "or NpgsqlDataSource to have it named";

    /// <summary>
    /// The provider's typed reading of a transient error: a <see cref="PostgresException"/> by its SQLSTATE (the table
    /// of <see cref="RunEngine.Data.Resilience.PostgreSqlTransientStates"/>), any other <see cref="NpgsqlException"/> by
    /// its cause (I/O, socket, timeout) or Npgsql's own <see cref="NpgsqlException.IsTransient"/>. The same answers as
    /// the core's untyped reading (<see cref="RunEngineDatabase.IsTransient"/>).
    /// </summary>
    public static RunEngine.Data.Resilience.TransientDecision ReadTransient(Exception exception) => exception switch
    {
        PostgresException postgres => RunEngine.Data.Resilience.TransientDecision.Of(RunEngine.Data.Resilience.PostgreSqlTransientStates.Reason(postgres.SqlState)),
        NpgsqlException npgsql => RunEngine.Data.Resilience.TransientDecision.Of(
            RunEngine.Data.Resilience.TransientErrors.CausedByConnection(npgsql) ?? (npgsql.IsTransient ? RunEngine.Data.Resilience.TransientErrors.Driver : null)),
        _ => RunEngine.Data.Resilience.TransientDecision.Undecided,
    };

    public static DbErrorKind Classify(Exception exception) => Find(exception) is { } postgres ? Classify(postgres.SqlState) : DbErrorKind.Other;

    /// <summary>
    /// Classifies like <see cref="Classify(Exception)"/>, and on a distributed database (<paramref name="distributed"/>)
    /// also reads Citus's re-raise of a shard's key error (<see cref="CitusReRaised"/>) and a conflict the staging path
    /// found before inserting (<see cref="Bulk.StagedKeyConflictException"/>).
    /// </summary>
    public static DbErrorKind Classify(Exception exception, bool distributed) =>
        distributed && Describe(exception, string.Empty, distributed: true) is { } violation ? violation.Kind : Classify(exception);

    public static ConstraintViolation? Describe(Exception exception, string prefix) => Describe(exception, prefix, distributed: false);

    /// <summary>
    /// The key error in <paramref name="exception"/>'s chain. On a distributed database, also a conflict the staging
    /// path found (<see cref="Bulk.StagedKeyConflictException"/>) and Citus's re-raise of a shard's error as
    /// <c>XX000</c> (<see cref="CitusReRaised"/>).
    /// </summary>
    public static ConstraintViolation? Describe(Exception exception, string prefix, bool distributed)
    {
        if (distributed && FindStaged(exception) is { } staged)
        {
            return staged.Violation;
        }

        if (Find(exception) is not { } postgres)
        {
            return null;
        }

        return distributed && postgres.SqlState == PostgresErrorCodes.InternalError
            ? CitusReRaised(postgres.MessageText, postgres.Detail, postgres.Where, prefix)
            : Describe(postgres.SqlState, postgres.ConstraintName, postgres.Detail, postgres.Where, prefix);
    }

    /// <summary>
    /// Whether <paramref name="exception"/>'s chain holds Citus's re-raise of a shard's error (SQLSTATE <c>XX000</c>):
    /// a COPY into a distributed table whose shard rejected a row fails so, and Npgsql may have closed the connection
    /// after it.
    /// </summary>
    public static bool IsReRaised(Exception exception) => Find(exception) is { SqlState: PostgresErrorCodes.InternalError };

    /// <summary>
    /// Reads Citus's re-raise of a shard's key error (unit-testable without a server). Citus forwards the shard's
    /// message and detail but not its SQLSTATE (the client sees <c>XX000</c>) nor its constraint field, and the names
    /// in the message are the shard's (the constraint's name with <c>_&lt;shard id&gt;</c> appended):
    /// <c>duplicate key value violates unique constraint "re_stories_pk_102008"</c> with
    /// <c>Key (run_id, id)=(…) already exists.</c>, or
    /// <c>insert or update on table "re_cards_102040" violates foreign key constraint "re_cards_run_story_fk_102040"</c>.
    /// Null when the message is no key error (the original error then stands).
    /// </summary>
    public static ConstraintViolation? CitusReRaised(string message, string? detail, string? where, string prefix)
    {
        string sqlState;
        Match match;
        if ((match = ReRaisedUnique().Match(message)).Success)
        {
            sqlState = PostgresErrorCodes.UniqueViolation;
        }
        else if ((match = ReRaisedForeignKey().Match(message)).Success)
        {
            sqlState = PostgresErrorCodes.ForeignKeyViolation;
        }
        else
        {
            return null;
        }

        var constraint = ShardSuffix().Replace(match.Groups["constraint"].Value, string.Empty);
        return Describe(sqlState, constraint, detail, where, prefix);
    }

    /// <summary>Describes an error from its fields (unit-testable without a server); null when it is no key violation.</summary>
    public static ConstraintViolation? Describe(string sqlState, string? constraint, string? detail, string? where, string prefix)
    {
        var kind = Classify(sqlState);
        if (kind == DbErrorKind.Other)
        {
            return null;
        }

        string[]? columns = null, values = null;
        if (detail is not null && DetailKey().Match(detail) is { Success: true } key)
        {
            // PostgreSQL quotes a column whose name is a keyword: Key (run_id, "position")=(…).
            columns = Split(key.Groups["columns"].Value).Select(c => c.Trim('"')).ToArray();
            values = Split(key.Groups["values"].Value);
            if (columns.Length != values.Length)
            {
                (columns, values) = (null, null);
            }
        }

        long? position = null;
        if (kind == DbErrorKind.UniqueViolation && where is not null && CopyLine().Match(where) is { Success: true } line
            && long.TryParse(line.Groups["line"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0)
        {
            position = number - 1;
        }

        return new ConstraintViolation(kind)
        {
            Key = KeyOf(kind, constraint, prefix),
            Constraint = constraint,
            Columns = columns,
            Values = values,
            Position = position,
            Hint = values is null ? RedactedHint : null,
        };
    }

    private static ViolatedKey KeyOf(DbErrorKind kind, string? constraint, string prefix)
    {
        if (kind == DbErrorKind.ForeignKeyViolation)
        {
            return ViolatedKey.Parent;
        }

        var name = constraint is not null && constraint.StartsWith(prefix, StringComparison.Ordinal) ? constraint[prefix.Length..] : constraint;
        return name switch
        {
            null => ViolatedKey.Unknown,

            // The primary keys, and stories (run_id, id), the unique key the cards' composite foreign key needs.
            _ when name.EndsWith("_pk", StringComparison.Ordinal) || name == "stories_run_id_uq" => ViolatedKey.Id,
            _ when name.EndsWith("_uq", StringComparison.Ordinal) => ViolatedKey.NaturalKey,
            _ => ViolatedKey.Unknown,
        };
    }

    private static DbErrorKind Classify(string sqlState) => sqlState switch
    {
        PostgresErrorCodes.UniqueViolation => DbErrorKind.UniqueViolation,
        PostgresErrorCodes.ForeignKeyViolation => DbErrorKind.ForeignKeyViolation,
        _ => DbErrorKind.Other,
    };

    private static PostgresException? Find(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException postgres)
            {
                return postgres;
            }
        }

        return null;
    }

    private static Bulk.StagedKeyConflictException? FindStaged(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is Bulk.StagedKeyConflictException staged)
            {
                return staged;
            }
        }

        return null;
    }

    private static string[] Split(string list) => list.Split(", ", StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"^Key \((?<columns>[^)]*)\)=\((?<values>.*)\) (?:already exists|is not present)", RegexOptions.CultureInvariant)]
    private static partial Regex DetailKey();

    [GeneratedRegex(@"^COPY [^,]+, line (?<line>[0-9]+)", RegexOptions.CultureInvariant)]
    private static partial Regex CopyLine();

    [GeneratedRegex("duplicate key value violates unique constraint \"(?<constraint>[^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ReRaisedUnique();

    [GeneratedRegex("violates foreign key constraint \"(?<constraint>[^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ReRaisedForeignKey();

    /// <summary>The shard id Citus appends to the names of a shard's constraints and indexes.</summary>
    [GeneratedRegex("_[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ShardSuffix();
}
