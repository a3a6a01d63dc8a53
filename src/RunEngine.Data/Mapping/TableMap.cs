using System.Data.Common;

namespace RunEngine.Data.Mapping;

/// <summary>
/// The single description of one table: its columns in order, each with name, type, limits and accessors.
/// Validation, the bulk readers and writers, parameters, materialization and the schema checks all read it.
/// </summary>
internal sealed class TableMap<T>
    where T : class
{
    private readonly Dictionary<string, ColumnMap<T>> _byName;
    private readonly Func<T> _factory;

    public TableMap(
        string entityName,
        string tableSuffix,
        IReadOnlyList<ColumnMap<T>> columns,
        Func<T> factory,
        Func<T, Guid> id,
        Func<T, Guid> runId,
        Func<T, Guid>? parentId = null,
        string? parentField = null)
    {
        EntityName = entityName;
        TableSuffix = tableSuffix;
        Columns = columns;
        _factory = factory;
        GetId = id;
        GetRunId = runId;
        GetParentId = parentId;
        ParentField = parentField;
        _byName = new Dictionary<string, ColumnMap<T>>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            columns[i].Ordinal = i;
            _byName.Add(columns[i].Name, columns[i]);
        }
    }

    /// <summary>The entity's name as users see it in errors ("Story", "Card").</summary>
    public string EntityName { get; }

    /// <summary>The table's name without the configured prefix ("stories", "cards").</summary>
    public string TableSuffix { get; }

    /// <summary>Columns in table order.</summary>
    public IReadOnlyList<ColumnMap<T>> Columns { get; }

    /// <summary>Reads the primary key.</summary>
    public Func<T, Guid> GetId { get; }

    /// <summary>Reads the run id.</summary>
    public Func<T, Guid> GetRunId { get; }

    /// <summary>
    /// Columns of the natural key (a unique index besides the id: a story's run and position, a card's story and
    /// position); empty when the table has none. Retry-safe inserts skip rows matching an existing row on it.
    /// </summary>
    public IReadOnlyList<string> NaturalKey { get; init; } = [];

    /// <summary>Columns that order a run's rows in reads (default position, then id).</summary>
    public IReadOnlyList<string> OrderBy { get; init; } = ["position", "id"];

    /// <summary>Reads the id of the parent row this row references (a card's story); null when the table has no parent.</summary>
    public Func<T, Guid>? GetParentId { get; }

    /// <summary>The property holding the parent reference ("StoryId"); null when the table has no parent.</summary>
    public string? ParentField { get; }

    /// <summary>Finds a column by its database name; null when the map has none.</summary>
    public ColumnMap<T>? FindColumn(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Builds an entity from the current row of <paramref name="reader"/>, whose columns are in map order.</summary>
    public T Materialize(DbDataReader reader)
    {
        var entity = _factory();
        for (var i = 0; i < Columns.Count; i++)
        {
            Columns[i].Materialize(entity, reader, i);
        }

        return entity;
    }
}
