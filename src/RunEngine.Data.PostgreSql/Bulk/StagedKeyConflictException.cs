using RunEngine.Data.Providers;

namespace RunEngine.Data.PostgreSql.Bulk;

/// <summary>
/// A key conflict the distributed staging path found in its stage before inserting (<see cref="CheckedStagingStatements"/>):
/// no statement failed, so the caller's transaction is intact. It carries the conflict as the provider's reading of a
/// key error (<see cref="Violation"/>), which the core explains exactly as it explains a server's unique or foreign-key
/// error. Its message names the entity, position and key columns, never values.
/// </summary>
internal sealed class StagedKeyConflictException : Exception
{
    public StagedKeyConflictException(string entity, ConstraintViolation violation)
        : base(MessageOf(entity, violation))
    {
        Violation = violation;
    }

    /// <summary>What conflicts: the kind, the key's columns and values, the row's position in the batch.</summary>
    public ConstraintViolation Violation { get; }

    private static string MessageOf(string entity, ConstraintViolation violation) =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{entity} at position {violation.Position}: the batch's staged rows conflict on ({string.Join(", ", violation.Columns ?? [])}) " +
            $"({(violation.Kind == DbErrorKind.ForeignKeyViolation ? "missing parent" : "key already stored or repeated")}); nothing was inserted.");
}
