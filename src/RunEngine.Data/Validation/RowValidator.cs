using System.Globalization;
using RunEngine.Data.Mapping;

namespace RunEngine.Data.Validation;

/// <summary>
/// Checks a row against its <see cref="TableMap{T}"/> before it is sent, so that the caller gets an error naming the
/// entity, its batch position, the field and the limit instead of a provider error such as SqlBulkCopy's
/// "invalid column length from the bcp client for colid N". Every Text and Json column goes through
/// <see cref="TextRule"/> (well-formed UTF-16, no NUL, length in UTF-16 code units) and every Json column also through
/// <see cref="JsonText"/> (what PostgreSQL's jsonb accepts), so a value one provider stores is stored unchanged by all.
/// </summary>
internal sealed class RowValidator<T>
    where T : class
{
    private readonly TableMap<T> _map;
    private readonly Action<T, WriteContext, long>[] _checks;

    public RowValidator(TableMap<T> map)
    {
        _map = map;
        _checks = map.Columns.Select(CreateCheck).Where(c => c is not null).Select(c => c!).ToArray();
    }

    /// <summary>Throws <see cref="BatchValidationException"/> when <paramref name="entity"/> cannot be stored.</summary>
    public void Validate(T entity, long position, WriteContext context)
    {
        if (entity is null)
        {
            throw new BatchValidationException(_map.EntityName, position, "(row)", "is null");
        }

        foreach (var check in _checks)
        {
            check(entity, context, position);
        }
    }

    private Action<T, WriteContext, long>? CreateCheck(ColumnMap<T> column)
    {
        var entity = _map.EntityName;
        var field = column.PropertyName;
        switch (column.Kind)
        {
            case ColumnKind.Guid when column.Required:
                var guid = (TypedColumnMap<T, Guid>)column;
                return (e, c, p) =>
                {
                    if (guid.Get(e, c) == Guid.Empty)
                    {
                        throw new BatchValidationException(entity, p, field, "is required but is Guid.Empty");
                    }
                };
            case ColumnKind.Int32 when column.MinValue is not null || column.MaxValue is not null:
                var int32 = (TypedColumnMap<T, int>)column;
                return (e, c, p) => CheckRange(int32.Get(e, c), column, entity, field, p);
            case ColumnKind.Int16 when column.MinValue is not null || column.MaxValue is not null:
                var int16 = (TypedColumnMap<T, short>)column;
                return (e, c, p) => CheckRange(int16.Get(e, c), column, entity, field, p);
            case ColumnKind.Text:
                var text = (TypedColumnMap<T, string>)column;
                return (e, c, p) => CheckText(text.Get(e, c), column, entity, field, p);
            case ColumnKind.Json:
                var json = (TypedColumnMap<T, string>)column;
                return (e, c, p) =>
                {
                    var value = json.Get(e, c);
                    CheckText(value, column, entity, field, p);
                    if (value is not null && JsonText.FindError(value) is { } error)
                    {
                        throw new BatchValidationException(entity, p, field, $"is not a valid JSON document: {error}");
                    }
                };
            default:
                return null;
        }
    }

    private static void CheckRange(int value, ColumnMap<T> column, string entity, string field, long position)
    {
        if (value < column.MinValue || value > column.MaxValue)
        {
            var range = column.MaxValue is { } max
                ? string.Create(CultureInfo.InvariantCulture, $"between {column.MinValue} and {max}")
                : string.Create(CultureInfo.InvariantCulture, $"at least {column.MinValue}");
            throw new BatchValidationException(
                entity,
                position,
                field,
                string.Create(CultureInfo.InvariantCulture, $"is {value}; it must be {range}"));
        }
    }

    private static void CheckText(string? value, ColumnMap<T> column, string entity, string field, long position)
    {
        if (value is null)
        {
            if (!column.Nullable || column.Required)
            {
                throw new BatchValidationException(entity, position, field, "is required but is null");
            }

            return;
        }

        if (column.Required && string.IsNullOrWhiteSpace(value))
        {
            throw new BatchValidationException(entity, position, field, "is required but is empty or white space");
        }

        var fault = TextRule.Check(value, column.MaxLength);
        if (fault.Failed)
        {
            throw new BatchValidationException(entity, position, field, fault.Describe(column.Name));
        }
    }
}
