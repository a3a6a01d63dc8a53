using System.Collections;
using System.Data.Common;

namespace RunEngine.Data.Perf.Targets.SqlServer;

/// <summary>The minimal <see cref="DbDataReader"/> SqlBulkCopy needs, over pre-built rows: no validation, no mapping layer.</summary>
internal sealed class RowArrayReader<TRow> : DbDataReader
{
    private readonly TRow[] _rows;
    private readonly string[] _names;
    private readonly Type[] _types;
    private readonly Func<TRow, int, object?> _value;
    private int _index = -1;

    public RowArrayReader(TRow[] rows, string[] names, Type[] types, Func<TRow, int, object?> value)
    {
        _rows = rows;
        _names = names;
        _types = types;
        _value = value;
    }

    public override int FieldCount => _names.Length;

    public override bool HasRows => _rows.Length > 0;

    public override bool IsClosed => false;

    public override int RecordsAffected => -1;

    public override int Depth => 0;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read() => ++_index < _rows.Length;

    public override bool NextResult() => false;

    public override object GetValue(int ordinal) => _value(_rows[_index], ordinal) ?? DBNull.Value;

    public override bool IsDBNull(int ordinal) => _value(_rows[_index], ordinal) is null;

    public override string GetName(int ordinal) => _names[ordinal];

    public override int GetOrdinal(string name) => Array.IndexOf(_names, name);

    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, _names.Length);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override Type GetFieldType(int ordinal) => _types[ordinal];

    public override string GetDataTypeName(int ordinal) => GetFieldType(ordinal).Name;

    public override bool GetBoolean(int ordinal) => (bool)GetValue(ordinal);

    public override byte GetByte(int ordinal) => (byte)GetValue(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();

    public override char GetChar(int ordinal) => (char)GetValue(ordinal);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();

    public override DateTime GetDateTime(int ordinal) => (DateTime)GetValue(ordinal);

    public override decimal GetDecimal(int ordinal) => (decimal)GetValue(ordinal);

    public override double GetDouble(int ordinal) => (double)GetValue(ordinal);

    public override float GetFloat(int ordinal) => (float)GetValue(ordinal);

    public override Guid GetGuid(int ordinal) => (Guid)GetValue(ordinal);

    public override short GetInt16(int ordinal) => (short)GetValue(ordinal);

    public override int GetInt32(int ordinal) => (int)GetValue(ordinal);

    public override long GetInt64(int ordinal) => (long)GetValue(ordinal);

    public override string GetString(int ordinal) => (string)GetValue(ordinal);

    public override IEnumerator GetEnumerator() => throw new NotSupportedException();
}
