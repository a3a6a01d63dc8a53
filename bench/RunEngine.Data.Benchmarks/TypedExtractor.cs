using RunEngine.Data.Mapping;

namespace RunEngine.Data.Benchmarks;

/// <summary>
/// The PostgreSQL writer's way of reading a row: one typed delegate per column, chosen once from the table map, so the
/// per-row loop has no type switch and boxes nothing. The sink stands in for NpgsqlBinaryImporter.Write.
/// </summary>
internal sealed class TypedExtractor<T>
    where T : class
{
    private readonly Action<T, WriteContext, ValueSink>[] _columns;

    public TypedExtractor(TableMap<T> map)
    {
        _columns = map.Columns.Select(Create).ToArray();
    }

    public void Extract(T entity, WriteContext context, ValueSink sink)
    {
        foreach (var column in _columns)
        {
            column(entity, context, sink);
        }
    }

    private static Action<T, WriteContext, ValueSink> Create(ColumnMap<T> column) => column switch
    {
        TypedColumnMap<T, Guid> c => (e, x, s) => s.Write(c.Get(e, x)),
        TypedColumnMap<T, int> c => (e, x, s) => s.Write(c.Get(e, x)),
        TypedColumnMap<T, short> c => (e, x, s) => s.Write(c.Get(e, x)),
        TypedColumnMap<T, DateTimeOffset> c => (e, x, s) => s.Write(c.Get(e, x)),
        TypedColumnMap<T, string> c => (e, x, s) => s.Write(c.Get(e, x)),
        _ => throw new NotSupportedException(column.Name),
    };
}
