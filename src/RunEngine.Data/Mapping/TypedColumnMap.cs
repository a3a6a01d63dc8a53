using System.Data.Common;

namespace RunEngine.Data.Mapping;

/// <summary>A column whose stored value has the CLR type <typeparamref name="TValue"/>; typed access avoids boxing on hot paths.</summary>
internal sealed class TypedColumnMap<T, TValue> : ColumnMap<T>
    where T : class
{
    private readonly Func<T, WriteContext, TValue> _getter;
    private readonly Action<T, TValue> _setter;

    public TypedColumnMap(
        string name,
        string propertyName,
        ColumnKind kind,
        Func<T, WriteContext, TValue> getter,
        Action<T, TValue> setter)
        : base(name, propertyName, kind, System.Nullable.GetUnderlyingType(typeof(TValue)) ?? typeof(TValue))
    {
        _getter = getter;
        _setter = setter;
    }

    /// <summary>The value to store for <paramref name="entity"/> (normalized: UTC timestamps, defaults filled).</summary>
    public TValue Get(T entity, WriteContext context) => _getter(entity, context);

    public override object? GetBoxed(T entity, WriteContext context) => _getter(entity, context);

    public override void Materialize(T entity, DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            _setter(entity, default!);
            return;
        }

        var value = ReadValue(reader, ordinal);
        if (value is DateTimeOffset timestamp)
        {
            // Providers return the stored instant with their own offset; hand out UTC everywhere.
            value = (TValue)(object)timestamp.ToUniversalTime();
        }

        _setter(entity, value);
    }

    /// <summary>Reads a non-null value; nullable value types are read as their underlying type, which every provider supports.</summary>
    private static TValue ReadValue(DbDataReader reader, int ordinal)
    {
        if (typeof(TValue) == typeof(Guid?))
        {
            return (TValue)(object)reader.GetFieldValue<Guid>(ordinal);
        }

        if (typeof(TValue) == typeof(DateTimeOffset?))
        {
            return (TValue)(object)reader.GetFieldValue<DateTimeOffset>(ordinal);
        }

        return reader.GetFieldValue<TValue>(ordinal);
    }
}
