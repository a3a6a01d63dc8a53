using Microsoft.Data.Sqlite;
using RunEngine.Data.Mapping;

namespace RunEngine.Data.Sqlite.Bulk;

/// <summary>Per-column binders of the prepared insert: each reads its column through the typed accessor.</summary>
internal static class SqliteBinders
{
    /// <summary>
    /// A binder that copies <paramref name="column"/>'s value into <paramref name="parameter"/>, read through its typed
    /// accessor (no detour through <see cref="ColumnMap{T}.GetBoxed"/>); nullable columns bind <see cref="DBNull"/>
    /// when they have no value.
    /// </summary>
    public static Action<T, WriteContext> For<T>(ColumnMap<T> column, SqliteParameter parameter)
        where T : class => column switch
        {
            TypedColumnMap<T, Guid> guid => (row, context) => parameter.Value = guid.Get(row, context),
            TypedColumnMap<T, Guid?> guid => (row, context) => parameter.Value = guid.Get(row, context) is { } value ? value : DBNull.Value,
            TypedColumnMap<T, int> int32 => (row, context) => parameter.Value = int32.Get(row, context),
            TypedColumnMap<T, short> int16 => (row, context) => parameter.Value = int16.Get(row, context),
            TypedColumnMap<T, DateTimeOffset> timestamp => (row, context) => parameter.Value = timestamp.Get(row, context),
            TypedColumnMap<T, DateTimeOffset?> timestamp => (row, context) =>
                parameter.Value = timestamp.Get(row, context) is { } value ? value : DBNull.Value,
            TypedColumnMap<T, string> text => (row, context) => parameter.Value = (object?)text.Get(row, context) ?? DBNull.Value,
            _ => (row, context) => parameter.Value = column.GetBoxed(row, context) ?? DBNull.Value,
        };
}
