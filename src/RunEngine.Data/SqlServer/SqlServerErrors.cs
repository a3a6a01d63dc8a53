using Microsoft.Data.SqlClient;
using RunEngine.Data.Providers;

namespace RunEngine.Data.SqlServer;

/// <summary>Maps SQL Server error numbers to the kinds of error the repositories translate.</summary>
internal static class SqlServerErrors
{
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
