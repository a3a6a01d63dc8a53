using Npgsql;
using NpgsqlTypes;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;

namespace RunEngine.Data.PostgreSql.Bulk;

/// <summary>
/// The binary COPY of one table, built once from its <see cref="TableMap{T}"/>: the COPY command and one typed writer per
/// column, chosen here so the per-row loop has no type switch and boxes nothing.
/// </summary>
internal sealed class CopyRowWriter<T>
    where T : class
{
    private readonly CopyValueWriter<T>[] _columns;

    public CopyRowWriter(TableMap<T> map, SqlDialect dialect)
    {
        Map = map;
        ColumnList = string.Join(", ", map.Columns.Select(c => dialect.Quote(c.Name)));
        _columns = map.Columns.Select(CreateWriter).ToArray();
    }

    public TableMap<T> Map { get; }

    /// <summary>The quoted column list of the COPY command, in map order.</summary>
    public string ColumnList { get; }

    /// <summary>The COPY command for <paramref name="table"/> (quoted and qualified).</summary>
    public string CopyCommand(string table) => $"COPY {table} ({ColumnList}) FROM STDIN (FORMAT BINARY)";

    /// <summary>Writes one entity as one row.</summary>
    public async Task WriteRowAsync(NpgsqlBinaryImporter importer, T entity, WriteContext context)
    {
        // Tokens are deliberately not passed to Npgsql: cancelling a network write breaks the connection, whereas
        // cancellation observed between rows (by the row source) lets the COPY be cancelled cleanly and the
        // transaction roll back to its savepoint.
        await importer.StartRowAsync().ConfigureAwait(false);
        foreach (var column in _columns)
        {
            await column(importer, entity, context).ConfigureAwait(false);
        }
    }

    private static CopyValueWriter<T> CreateWriter(ColumnMap<T> column) => column switch
    {
        TypedColumnMap<T, Guid> { Kind: ColumnKind.Guid } id => Value(id, NpgsqlDbType.Uuid),
        TypedColumnMap<T, int> { Kind: ColumnKind.Int32 } number => Value(number, NpgsqlDbType.Integer),
        TypedColumnMap<T, short> { Kind: ColumnKind.Int16 } small => Value(small, NpgsqlDbType.Smallint),
        TypedColumnMap<T, DateTimeOffset> { Kind: ColumnKind.Timestamp } instant => Value(instant, NpgsqlDbType.TimestampTz),
        TypedColumnMap<T, Guid?> { Kind: ColumnKind.Guid } id => NullableValue(id, NpgsqlDbType.Uuid),
        TypedColumnMap<T, DateTimeOffset?> { Kind: ColumnKind.Timestamp } instant => NullableValue(instant, NpgsqlDbType.TimestampTz),
        TypedColumnMap<T, string> { Kind: ColumnKind.Text } text => Text(text, text.MaxLength is null ? NpgsqlDbType.Text : NpgsqlDbType.Varchar),
        TypedColumnMap<T, string> { Kind: ColumnKind.Json } json => Text(json, NpgsqlDbType.Jsonb),
        _ => throw new NotSupportedException(
            $"Column {column.Name} ({column.Kind}, {column.ClrType.Name}) has no PostgreSQL binary COPY mapping."),
    };

    private static CopyValueWriter<T> Value<TValue>(TypedColumnMap<T, TValue> column, NpgsqlDbType type)
        where TValue : struct =>
        (importer, entity, context) => importer.WriteAsync(column.Get(entity, context), type);

    /// <summary>A nullable value column: the underlying value written typed (no boxing), NULL when it has none.</summary>
    private static CopyValueWriter<T> NullableValue<TValue>(TypedColumnMap<T, TValue?> column, NpgsqlDbType type)
        where TValue : struct =>
        (importer, entity, context) => column.Get(entity, context) is { } value ? importer.WriteAsync(value, type) : importer.WriteNullAsync();

    private static CopyValueWriter<T> Text(TypedColumnMap<T, string> column, NpgsqlDbType type) =>
        (importer, entity, context) => column.Get(entity, context) is { } value ? importer.WriteAsync(value, type) : importer.WriteNullAsync();
}
