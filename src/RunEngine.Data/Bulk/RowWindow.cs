namespace RunEngine.Data.Bulk;

/// <summary>
/// What a <see cref="RowSource{T}"/> remembers of its batch, bounded: the ids (with position and run) of the first
/// <see cref="Capacity"/> rows, and for child tables the first <see cref="Capacity"/> distinct (parent, run)
/// references with the position of the first row that made each. Past the capacity nothing more is recorded, so memory
/// stops growing however long the batch; the database's constraints catch what the window cannot see, and the
/// translation after the rollback explains it (see docs/troubleshooting.md).
/// </summary>
internal sealed class RowWindow
{
    /// <summary>
    /// Rows (and distinct parent references) remembered per batch: 16,384. Each entry costs about 50 to 70 bytes
    /// (with the dictionary's spare room), so a full window holds about 1 MB per dictionary, whatever the batch size,
    /// and a cycle's three windows about 3 MB; ordinary batches (a cycle's stories, a story's cards) fit in it whole.
    /// A larger window would name more keys before sending, but its memory would keep growing for longer: at 65,536
    /// the live heap grew about twice as much for 10,000,000 cards as for 100,000 (docs/benchmarks.md).
    /// </summary>
    public const int Capacity = 16_384;

    private readonly Dictionary<Guid, (long Position, Guid RunId)> _ids = [];
    private readonly Dictionary<(Guid Parent, Guid RunId), long>? _parents;

    public RowWindow(bool hasParents)
    {
        _parents = hasParents ? [] : null;
    }

    /// <summary>True while every row of the batch so far is in the window (the batch has at most <see cref="Capacity"/> rows).</summary>
    public bool HoldsEveryId { get; private set; } = true;

    /// <summary>True while every distinct parent reference of the batch so far is in the window.</summary>
    public bool HoldsEveryParent { get; private set; } = true;

    /// <summary>The remembered ids with their position and run.</summary>
    public IReadOnlyDictionary<Guid, (long Position, Guid RunId)> Ids => _ids;

    /// <summary>For child tables, the remembered (parent id, run id) references with their first position; null otherwise.</summary>
    public IReadOnlyDictionary<(Guid Parent, Guid RunId), long>? Parents => _parents;

    /// <summary>The position of the remembered row with <paramref name="id"/>, when the window holds it.</summary>
    public bool TryGetId(Guid id, out long position, out Guid runId)
    {
        if (_ids.TryGetValue(id, out var entry))
        {
            (position, runId) = entry;
            return true;
        }

        (position, runId) = (0, Guid.Empty);
        return false;
    }

    /// <summary>The id of the row at <paramref name="position"/>, when the window holds it (error path only: a linear scan).</summary>
    public Guid? IdAt(long position)
    {
        foreach (var (id, entry) in _ids)
        {
            if (entry.Position == position)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>The first position of a reference to <paramref name="parent"/> (any run), when the window holds one (error path only).</summary>
    public long? FirstReferenceTo(Guid parent)
    {
        long? first = null;
        foreach (var (key, position) in _parents ?? [])
        {
            if (key.Parent == parent && (first is null || position < first))
            {
                first = position;
            }
        }

        return first;
    }

    /// <summary>Records a row's id; returns false (recording nothing) when the window already holds it.</summary>
    internal bool TryAdd(Guid id, long position, Guid runId, out long earlier)
    {
        if (_ids.TryGetValue(id, out var entry))
        {
            earlier = entry.Position;
            return false;
        }

        earlier = -1;
        if (_ids.Count < Capacity)
        {
            _ids.Add(id, (position, runId));
        }
        else
        {
            HoldsEveryId = false;
        }

        return true;
    }

    /// <summary>Records a child row's parent reference, unless the window holds it already or is full.</summary>
    internal void AddParent(Guid parent, Guid runId, long position)
    {
        if (_parents is null || _parents.ContainsKey((parent, runId)))
        {
            return;
        }

        if (_parents.Count < Capacity)
        {
            _parents.Add((parent, runId), position);
        }
        else
        {
            HoldsEveryParent = false;
        }
    }
}
