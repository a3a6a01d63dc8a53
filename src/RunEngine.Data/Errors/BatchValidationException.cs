using System.Globalization;

namespace RunEngine.Data;

/// <summary>
/// A row of a batch cannot be written. Names the entity, the row's zero-based position in the batch (when known),
/// the field and the reason. When it is raised, nothing of the batch remains in the database.
/// </summary>
public sealed class BatchValidationException : RunEngineDataException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="entity">The entity name ("Story", "Card").</param>
    /// <param name="position">Zero-based position of the row in the batch; null when the database reported the error without it.</param>
    /// <param name="field">The entity property at fault.</param>
    /// <param name="reason">Why the value was rejected, including the limit and the actual size where relevant.</param>
    /// <param name="innerException">The provider's error, when the database detected the problem.</param>
    public BatchValidationException(string entity, long? position, string field, string reason, Exception? innerException = null)
        : base(Format(entity, position, field, reason), innerException)
    {
        Entity = entity;
        Position = position;
        Field = field;
        Reason = reason;
    }

    /// <summary>The entity name ("Story", "Card").</summary>
    public string Entity { get; }

    /// <summary>Zero-based position of the offending row in the batch; null when it could not be determined.</summary>
    public long? Position { get; }

    /// <summary>The entity property at fault (for example <c>Title</c>).</summary>
    public string Field { get; }

    /// <summary>Why the value was rejected.</summary>
    public string Reason { get; }

    private static string Format(string entity, long? position, string field, string reason)
    {
        var where = position is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"{entity} at position {p} of the batch")
            : $"A {entity} of the batch";
        return $"{where} was rejected: {field} {reason}. Nothing of the batch was written.";
    }
}
