using System.Collections;
using System.Data.Common;
using System.Runtime.CompilerServices;
using RunEngine.Data.Mapping;

namespace RunEngine.Data.Bulk;

/// <summary>
/// A forward-only <see cref="DbDataReader"/> over a <see cref="RowSource{T}"/>: each <see cref="Read"/> pulls exactly one
/// row from the source (validated there), and values come straight from the table map's accessors. Nothing is buffered
/// beyond the optional <c>head</c> rows a writer already pulled to decide how to send the batch; they are replayed first.
/// Feeds <c>SqlBulkCopy</c>, which asks for <see cref="FieldCount"/>, <see cref="GetOrdinal"/> (name mappings),
/// <see cref="ReadAsync"/>, <see cref="IsDBNull"/>, <see cref="GetValue"/> and, for streamed nvarchar(max) columns,
/// <see cref="GetTextReader"/>.
/// </summary>
internal sealed class EntityDataReader<T> : DbDataReader
    where T : class
{
    private static readonly Task<bool> True = Task.FromResult(true);
    private static readonly Task<bool> False = Task.FromResult(false);

    private readonly RowSource<T> _rows;
    private readonly IReadOnlyList<ColumnMap<T>> _columns;
    private readonly bool[] _mayBeNull;
    private readonly Dictionary<string, int> _ordinals;
    private readonly Dictionary<string, int> _ordinalsIgnoreCase;
    private readonly WriteContext _context;
    private readonly IReadOnlyList<T> _head;
    private int _headIndex;
    private T? _current;
    private bool _finished;
    private bool _closed;

    /// <param name="rows">The source; the reader does not dispose it.</param>
    /// <param name="head">Rows already pulled from <paramref name="rows"/> (in order), returned before the rest.</param>
    public EntityDataReader(RowSource<T> rows, IReadOnlyList<T>? head = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _rows = rows;
        _columns = rows.Map.Columns;
        _context = rows.Context;
        _head = head ?? [];
        _mayBeNull = _columns.Select(c => c.Nullable).ToArray();
        _ordinals = new Dictionary<string, int>(StringComparer.Ordinal);
        _ordinalsIgnoreCase = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < _columns.Count; i++)
        {
            _ordinals.Add(_columns[i].Name, i);
            _ordinalsIgnoreCase.TryAdd(_columns[i].Name, i);
        }
    }

    public override int FieldCount => _columns.Count;

    // The source was opened non-empty (RowSource.OpenAsync returns null for an empty sequence).
    public override bool HasRows => true;

    public override bool IsClosed => _closed;

    public override int RecordsAffected => -1;

    public override int Depth => 0;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    private T Row => _current ?? throw new InvalidOperationException(
        _finished ? "The reader has no more rows." : "No current row: call Read before reading values.");

    public override bool Read()
    {
        if (TakeHead())
        {
            return true;
        }

        return _finished ? false : Accept(_rows.MoveNext());
    }

    public override Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(cancellationToken);
        }

        if (TakeHead())
        {
            return True;
        }

        if (_finished)
        {
            return False;
        }

        var next = _rows.MoveNextAsync();
        if (next.IsCompletedSuccessfully)
        {
            // The common case for synchronous sources: no state machine, no allocation.
            return Accept(next.Result) ? True : False;
        }

        return AwaitAsync(next);
    }

    public override bool NextResult() => false;

    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => False;

    public override string GetName(int ordinal) => _columns[ordinal].Name;

    public override int GetOrdinal(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_ordinals.TryGetValue(name, out var ordinal) || _ordinalsIgnoreCase.TryGetValue(name, out ordinal))
        {
            return ordinal;
        }

        // IndexOutOfRangeException is the IDataRecord contract; SqlBulkCopy catches exactly it to report an unmatched column.
#pragma warning disable CA2201
        throw new IndexOutOfRangeException($"The {_rows.Map.EntityName} reader has no column named '{name}'.");
#pragma warning restore CA2201
    }

    public override Type GetFieldType(int ordinal) => _columns[ordinal].ClrType;

    public override string GetDataTypeName(int ordinal) => _columns[ordinal].ClrType.Name;

    public override bool IsDBNull(int ordinal) => _mayBeNull[ordinal] && _columns[ordinal] switch
    {
        // Nullable value types are tested without boxing; reference types are not boxed by GetBoxed.
        TypedColumnMap<T, Guid?> id => id.Get(Row, _context) is null,
        TypedColumnMap<T, DateTimeOffset?> timestamp => timestamp.Get(Row, _context) is null,
        var column => column.GetBoxed(Row, _context) is null,
    };

    public override object GetValue(int ordinal) => _columns[ordinal].GetBoxed(Row, _context) ?? DBNull.Value;

    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var count = Math.Min(values.Length, _columns.Count);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override TField GetFieldValue<TField>(int ordinal)
    {
        if (_columns[ordinal] is TypedColumnMap<T, TField>)
        {
            return Typed<TField>(ordinal);
        }

        // Nullable columns hand out their underlying type, as GetFieldType says; typed, without boxing.
        if (typeof(TField) == typeof(Guid) && _columns[ordinal] is TypedColumnMap<T, Guid?>)
        {
            var id = Underlying<Guid>(ordinal);
            return Unsafe.As<Guid, TField>(ref id);
        }

        if (typeof(TField) == typeof(DateTimeOffset) && _columns[ordinal] is TypedColumnMap<T, DateTimeOffset?>)
        {
            var timestamp = Underlying<DateTimeOffset>(ordinal);
            return Unsafe.As<DateTimeOffset, TField>(ref timestamp);
        }

        var value = GetValue(ordinal);
        return value is TField field
            ? field
            : throw new InvalidCastException($"Column {_columns[ordinal].Name} holds {Describe(value)}, not {typeof(TField).Name}.");
    }

    public override Guid GetGuid(int ordinal) => _columns[ordinal] is TypedColumnMap<T, Guid?> ? Underlying<Guid>(ordinal) : Typed<Guid>(ordinal);

    public override short GetInt16(int ordinal) => Typed<short>(ordinal);

    public override int GetInt32(int ordinal) => Typed<int>(ordinal);

    public override long GetInt64(int ordinal) => Typed<long>(ordinal);

    public override string GetString(int ordinal) => Typed<string>(ordinal);

    public override bool GetBoolean(int ordinal) => Typed<bool>(ordinal);

    public override byte GetByte(int ordinal) => Typed<byte>(ordinal);

    public override char GetChar(int ordinal) => Typed<char>(ordinal);

    public override DateTime GetDateTime(int ordinal) => Typed<DateTime>(ordinal);

    public override decimal GetDecimal(int ordinal) => Typed<decimal>(ordinal);

    public override double GetDouble(int ordinal) => Typed<double>(ordinal);

    public override float GetFloat(int ordinal) => Typed<float>(ordinal);

    public override TextReader GetTextReader(int ordinal) =>
        new StringReader(IsDBNull(ordinal) ? string.Empty : GetString(ordinal));

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetString(ordinal);
        if (buffer is null)
        {
            return text.Length;
        }

        var count = (int)Math.Max(0, Math.Min(length, text.Length - dataOffset));
        text.CopyTo((int)dataOffset, buffer, bufferOffset, count);
        return count;
    }

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        throw new InvalidCastException($"Column {_columns[ordinal].Name} is not binary.");

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    public override void Close() => _closed = true;

    protected override void Dispose(bool disposing)
    {
        _closed = true;
        base.Dispose(disposing);
    }

    private async Task<bool> AwaitAsync(ValueTask<bool> next) => Accept(await next.ConfigureAwait(false));

    private bool TakeHead()
    {
        if (_headIndex >= _head.Count)
        {
            return false;
        }

        _current = _head[_headIndex++];
        return true;
    }

    private bool Accept(bool hasRow)
    {
        if (hasRow)
        {
            _current = _rows.Current;
            return true;
        }

        _current = null;
        _finished = true;
        return false;
    }

    private TValue Typed<TValue>(int ordinal)
    {
        var column = _columns[ordinal];
        if (column is not TypedColumnMap<T, TValue> typed)
        {
            throw new InvalidCastException($"Column {column.Name} holds {column.ClrType.Name}, not {typeof(TValue).Name}.");
        }

        var value = typed.Get(Row, _context);
        return value is null
            ? throw new InvalidCastException($"Column {column.Name} is NULL in this row; check IsDBNull first.")
            : value;
    }

    /// <summary>The value of a nullable value-type column (<typeparamref name="TValue"/>?), which must not be NULL in this row.</summary>
    private TValue Underlying<TValue>(int ordinal)
        where TValue : struct
    {
        var column = (TypedColumnMap<T, TValue?>)_columns[ordinal];
        return column.Get(Row, _context)
            ?? throw new InvalidCastException($"Column {column.Name} is NULL in this row; check IsDBNull first.");
    }

    private static string Describe(object value) => value is DBNull ? "NULL" : value.GetType().Name;
}
