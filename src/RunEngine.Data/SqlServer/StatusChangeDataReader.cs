using System.Collections;
using System.Data.Common;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.SqlServer;

/// <summary>
/// The streamed changes as the forward-only reader SqlBulkCopy consumes: first the rows already read into the head,
/// then the rest of the source, one at a time (nothing buffered). Columns: <see cref="SqlServerStatusStaging.LoadColumns"/>.
/// </summary>
internal sealed class StatusChangeDataReader : DbDataReader
{
    private static readonly Type[] Types = [typeof(Guid), typeof(int), typeof(short), typeof(string), typeof(Guid)];
    private readonly StatusChangeSource _source;
    private readonly IReadOnlyList<StatusChangeRow> _head;
    private int _headIndex = -1;
    private StatusChangeRow _row;
    private bool _closed;

    public StatusChangeDataReader(StatusChangeSource source, IReadOnlyList<StatusChangeRow> head)
    {
        _source = source;
        _head = head;
    }

    public override int FieldCount => Types.Length;

    public override bool HasRows => true;

    public override bool IsClosed => _closed;

    public override int RecordsAffected => -1;

    public override int Depth => 0;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read()
    {
        if (TakeHead())
        {
            return true;
        }

        if (!_source.MoveNext())
        {
            return false;
        }

        _row = _source.Current;
        return true;
    }

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (TakeHead())
        {
            return true;
        }

        if (!await _source.MoveNextAsync().ConfigureAwait(false))
        {
            return false;
        }

        _row = _source.Current;
        return true;
    }

    public override bool NextResult() => false;

    public override string GetName(int ordinal) => SqlServerStatusStaging.LoadColumns[ordinal];

    public override int GetOrdinal(string name)
    {
        for (var i = 0; i < SqlServerStatusStaging.LoadColumns.Count; i++)
        {
            if (string.Equals(SqlServerStatusStaging.LoadColumns[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(name), name, "No such column.");
    }

    public override Type GetFieldType(int ordinal) => Types[ordinal];

    public override string GetDataTypeName(int ordinal) => Types[ordinal].Name;

    public override bool IsDBNull(int ordinal) => false;

    public override object GetValue(int ordinal) => ordinal switch
    {
        0 => _row.Id,
        1 => _row.ExpectedVersion,
        2 => _row.Status,
        3 => _row.Message,
        4 => _row.EventId,
        _ => throw new ArgumentOutOfRangeException(nameof(ordinal)),
    };

    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var count = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override Guid GetGuid(int ordinal) => (Guid)GetValue(ordinal);

    public override short GetInt16(int ordinal) => (short)GetValue(ordinal);

    public override int GetInt32(int ordinal) => (int)GetValue(ordinal);

    public override long GetInt64(int ordinal) => GetInt32(ordinal);

    public override string GetString(int ordinal) => (string)GetValue(ordinal);

    public override bool GetBoolean(int ordinal) => throw new InvalidCastException();

    public override byte GetByte(int ordinal) => throw new InvalidCastException();

    public override char GetChar(int ordinal) => throw new InvalidCastException();

    public override DateTime GetDateTime(int ordinal) => throw new InvalidCastException();

    public override decimal GetDecimal(int ordinal) => GetInt32(ordinal);

    public override double GetDouble(int ordinal) => GetInt32(ordinal);

    public override float GetFloat(int ordinal) => GetInt32(ordinal);

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

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw new InvalidCastException();

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    public override void Close() => _closed = true;

    private bool TakeHead()
    {
        if (_headIndex + 1 >= _head.Count)
        {
            _headIndex = _head.Count;
            return false;
        }

        _row = _head[++_headIndex];
        return true;
    }
}
