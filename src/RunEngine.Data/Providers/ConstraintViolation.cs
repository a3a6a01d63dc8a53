namespace RunEngine.Data.Providers;

/// <summary>
/// What a provider could read from a unique or foreign-key error: which key, and where the database says so, the
/// key's columns and values and the rejected row's position. The shared translation completes it with keyed look-ups
/// after the rollback (see <see cref="Repositories.EntityStore{T}"/>).
/// </summary>
internal sealed class ConstraintViolation
{
    public ConstraintViolation(DbErrorKind kind)
    {
        Kind = kind;
    }

    /// <summary>Unique or foreign key.</summary>
    public DbErrorKind Kind { get; }

    /// <summary>Which key, from the constraint's name or the columns the error lists.</summary>
    public ViolatedKey Key { get; init; }

    /// <summary>The constraint or index name, when the error carries it.</summary>
    public string? Constraint { get; init; }

    /// <summary>The key's database column names, in the order of <see cref="Values"/>, when known.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>The offending key's values as the database printed them, when the error carries them.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>The rejected row's position in the batch, when the database reports it.</summary>
    public long? Position { get; init; }

    /// <summary>When the error carried no key: what the user can do to have it named (ends without a period); else null.</summary>
    public string? Hint { get; init; }
}
