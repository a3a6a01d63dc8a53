using System.Data.Common;

namespace RunEngine.Data.Mapping;

/// <summary>
/// One column of a <see cref="TableMap{T}"/>: its database name, logical type, limits and accessors.
/// The same description drives validation, bulk readers, parameters, materialization and schema checks.
/// </summary>
internal abstract class ColumnMap<T>
    where T : class
{
    protected ColumnMap(string name, string propertyName, ColumnKind kind, Type clrType)
    {
        Name = name;
        PropertyName = propertyName;
        Kind = kind;
        ClrType = clrType;
    }

    /// <summary>The column's name in every provider's schema (snake_case).</summary>
    public string Name { get; }

    /// <summary>The entity property the column is read from (used in error messages).</summary>
    public string PropertyName { get; }

    /// <summary>The logical type.</summary>
    public ColumnKind Kind { get; }

    /// <summary>
    /// The CLR type of the value handed to the database (enums as their underlying type; for nullable value types the
    /// underlying type — <see cref="Nullable"/> says whether NULL is allowed).
    /// </summary>
    public Type ClrType { get; }

    /// <summary>Whether the column accepts NULL.</summary>
    public bool Nullable { get; init; }

    /// <summary>For text: null, empty and white-space values are rejected. For ids: <see cref="Guid.Empty"/> is rejected.</summary>
    public bool Required { get; init; }

    /// <summary>For text: the maximum length in UTF-16 code units; null when unbounded.</summary>
    public int? MaxLength { get; init; }

    /// <summary>For integers: the smallest accepted value; null when unbounded.</summary>
    public int? MinValue { get; init; }

    /// <summary>For integers: the largest accepted value (an enum's highest defined value); null when unbounded.</summary>
    public int? MaxValue { get; init; }

    /// <summary>Ordinal of the column within its table map.</summary>
    public int Ordinal { get; internal set; }

    /// <summary>Returns the value to store for <paramref name="entity"/>, boxed; null for SQL NULL.</summary>
    public abstract object? GetBoxed(T entity, WriteContext context);

    /// <summary>Reads the column from <paramref name="reader"/> at <paramref name="ordinal"/> into <paramref name="entity"/>.</summary>
    public abstract void Materialize(T entity, DbDataReader reader, int ordinal);
}
