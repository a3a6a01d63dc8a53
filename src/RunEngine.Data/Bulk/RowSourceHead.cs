namespace RunEngine.Data.Bulk;

/// <summary>
/// The first rows of a <see cref="RowSource{T}"/>, pulled ahead (at most a given number) so a writer can choose its
/// protocol by batch size without buffering the whole batch. When the source has more rows, the head is replayed ahead
/// of the rest (see <see cref="EntityDataReader{T}"/>).
/// </summary>
internal sealed class RowSourceHead<T>
    where T : class
{
    private RowSourceHead(IReadOnlyList<T> rows, bool isWholeBatch)
    {
        Rows = rows;
        IsWholeBatch = isWholeBatch;
    }

    /// <summary>The rows pulled, in order (validated by the source).</summary>
    public IReadOnlyList<T> Rows { get; }

    /// <summary>True when the source ended before the limit: <see cref="Rows"/> is the whole batch.</summary>
    public bool IsWholeBatch { get; }

    /// <summary>Pulls rows until the source ends or <paramref name="limit"/> rows are held; never more than the limit.</summary>
    public static async ValueTask<RowSourceHead<T>> ReadAsync(RowSource<T> rows, int limit)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var buffer = new List<T>(Math.Min(limit, 64));
        while (buffer.Count < limit)
        {
            if (!await rows.MoveNextAsync().ConfigureAwait(false))
            {
                return new RowSourceHead<T>(buffer, isWholeBatch: true);
            }

            buffer.Add(rows.Current);
        }

        return new RowSourceHead<T>(buffer, isWholeBatch: false);
    }
}
