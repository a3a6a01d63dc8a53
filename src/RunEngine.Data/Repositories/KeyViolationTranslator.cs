using System.Globalization;
using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Repositories;

/// <summary>
/// Explains a unique or foreign-key error of a bulk write after the rollback, with the offending key: which id or
/// natural key, and whether it repeats a row of the same batch or one already stored, or which parent is missing or of
/// another run. It reads the key from the database's own error where it carries it (PostgreSQL's detail, SQL Server's
/// duplicate key value, SQLite's rejected row) and otherwise looks the rows of the batch's <see cref="RowWindow"/> up;
/// it never needs more than the window of the batch in memory.
/// </summary>
internal sealed class KeyViolationTranslator<T>
    where T : class
{
    private readonly DatabaseProvider _provider;
    private readonly TableStatements<T> _statements;
    private readonly TableStatements<Story>? _parent;
    private readonly ColumnMap<T>? _parentColumn;

    public KeyViolationTranslator(DatabaseProvider provider, TableStatements<T> statements, TableStatements<Story>? parent)
    {
        _provider = provider;
        _statements = statements;
        _parent = parent;
        _parentColumn = statements.Map.ParentField is { } field ? statements.Map.Columns.FirstOrDefault(c => c.PropertyName == field) : null;
    }

    private TableMap<T> Map => _statements.Map;

    /// <summary>
    /// The typed error for <paramref name="error"/>, or null when it is no key violation (or cannot be explained).
    /// Runs after the rollback: every look-up sees the database without the batch.
    /// </summary>
    /// <param name="scope">The operation's connection (and the caller's transaction, when there is one).</param>
    /// <param name="rows">The rejected batch.</param>
    /// <param name="error">The provider's error.</param>
    /// <param name="parentsInScope">The window of the parent rows written earlier in the same cycle (a cycle's stories).</param>
    /// <param name="cancellationToken">Cancels the look-ups.</param>
    public async Task<Exception?> TranslateAsync(
        OperationScope scope, RowSource<T> rows, Exception error, RowWindow? parentsInScope, CancellationToken cancellationToken)
    {
        if (_provider.DescribeViolation(error) is not { } violation)
        {
            return null;
        }

        var position = violation.Position ?? rows.RejectedPosition;
        var values = KeyValues(violation, rows);
        var lookup = new KeyLookup<T>(_provider, _statements, _parent, scope, cancellationToken);
        return violation.Kind == DbErrorKind.ForeignKeyViolation
            ? await ExplainParentAsync(lookup, rows, violation, values, position, parentsInScope, error).ConfigureAwait(false)
            : await ExplainUniqueAsync(lookup, rows, violation, values, position, error).ConfigureAwait(false);
    }

    private async Task<Exception?> ExplainUniqueAsync(
        KeyLookup<T> lookup, RowSource<T> rows, ConstraintViolation violation, Dictionary<string, string>? values, long? position, Exception error)
    {
        // Only the library's own keys are explained with their values: a unique index the application added (on a title,
        // say) would put row content in the message, so it is named by its columns alone (RejectUnknown).
        var key = violation.Key;
        IReadOnlyList<string>? named = violation.Columns ?? values?.Keys.ToArray();
        if (named is not null)
        {
            key = named.Contains("id", StringComparer.Ordinal) ? ViolatedKey.Id
                : SameColumns(named, Map.NaturalKey) ? ViolatedKey.NaturalKey
                : ViolatedKey.Unknown;
        }

        if (key == ViolatedKey.NaturalKey)
        {
            return await ExplainNaturalKeyAsync(lookup, rows, violation, values, position, error).ConfigureAwait(false);
        }

        var window = rows.Window;
        Guid? id = values is not null && values.TryGetValue("id", out var text) && Guid.TryParse(text, out var parsed) ? parsed : null;
        id ??= position is { } at ? window.IdAt(at) : null;
        if (id is { } known)
        {
            // Where ids are unique per run only, the row's run names the key (and the shard); an id of another run is no conflict.
            var run = _provider.IdsUniquePerRun ? RunOf(known, values, rows) : null;
            var sql = run is null ? _statements.SelectExistingIds : _statements.SelectExistingIdsOfRun;
            if ((await lookup.ExistingIdsAsync(sql, [known], run).ConfigureAwait(false)).Count > 0)
            {
                position ??= window.TryGetId(known, out var first, out _) ? first : null;
                return Reject(position, "Id", $"{known} is already stored: a {Map.EntityName} with this id exists in the database", error);
            }

            // A unique key the library does not know (an index the application added, or an error naming none): nothing
            // says the id repeats, so the database's own error stands rather than a guess.
            return key == ViolatedKey.Unknown
                ? RejectUnknown(position, violation, named, error)
                : Reject(position, "Id", $"repeats the id {known} of another row of the same batch", error);
        }

        // The error named no id: the first of the window's ids that is already stored is one the database rejects.
        var taken = await lookup.FirstStoredAsync(window.Ids.Select(e => (e.Key, e.Value.Position, e.Value.RunId))).ConfigureAwait(false);
        if (taken is { } stored && (position is null || position == stored.Position))
        {
            return Reject(stored.Position, "Id", $"{stored.Id} is already stored: a {Map.EntityName} with this id exists in the database", error);
        }

        if (key == ViolatedKey.Unknown)
        {
            return RejectUnknown(position, violation, named, error);
        }

        return Reject(
            position,
            "Id",
            string.Create(
                CultureInfo.InvariantCulture,
                $"repeats the id of another row of the same batch or of a stored row, beyond the first {RowWindow.Capacity:N0} rows the library remembers{HintOf(violation)}"),
            error);
    }

    private async Task<Exception?> ExplainNaturalKeyAsync(
        KeyLookup<T> lookup, RowSource<T> rows, ConstraintViolation violation, Dictionary<string, string>? values, long? position, Exception error)
    {
        var columns = violation.Columns ?? Map.NaturalKey;
        if (columns.Count == 0)
        {
            return null;
        }

        var field = Map.FindColumn(columns[^1])?.PropertyName ?? "Position";
        var columnList = string.Join(", ", columns);
        if (values is null || !columns.All(values.ContainsKey))
        {
            return Reject(
                position,
                field,
                $"is already taken in the unique key ({columnList}) by another row of the same batch or a stored row{HintOf(violation)}",
                error);
        }

        var keyText = $"({columnList}) = ({string.Join(", ", columns.Select(c => values[c]))})";
        var existing = await lookup.IdByKeyAsync(columns, values).ConfigureAwait(false);

        // The stored row with this key is one of the batch's own rows again (a replay): its id is what repeats.
        if (existing is { } replayed && (rows.RejectedRow is { } row ? Map.GetId(row) == replayed : rows.Window.TryGetId(replayed, out _, out _)))
        {
            position ??= rows.Window.TryGetId(replayed, out var first, out _) ? first : null;
            return Reject(position, "Id", $"{replayed} is already stored: a {Map.EntityName} with this id exists in the database", error);
        }

        return existing is { } storedId
            ? Reject(position, field, $"is already taken: {keyText} is already stored ({Map.EntityName} {storedId})", error)
            : Reject(position, field, $"repeats {keyText} of another row of the same batch", error);
    }

    private async Task<Exception?> ExplainParentAsync(
        KeyLookup<T> lookup,
        RowSource<T> rows,
        ConstraintViolation violation,
        Dictionary<string, string>? values,
        long? position,
        RowWindow? parentsInScope,
        Exception error)
    {
        if (_parent is null || _parentColumn is null || rows.Window.Parents is not { } references)
        {
            return null;
        }

        if (values is not null && values.TryGetValue(_parentColumn.Name, out var text) && Guid.TryParse(text, out var named))
        {
            Guid? cardRun = values.TryGetValue("run_id", out var runText) && Guid.TryParse(runText, out var run) ? run : null;
            cardRun ??= references.Keys.Where(k => k.Parent == named).Select(k => (Guid?)k.RunId).FirstOrDefault();
            position ??= cardRun is { } r && references.TryGetValue((named, r), out var at) ? at : rows.Window.FirstReferenceTo(named);
            var runs = await lookup.RunsOfParentsAsync([named], parentsInScope).ConfigureAwait(false);
            return ExplainReference(named, cardRun, position, runs, parentsInScope, error);
        }

        // The error named no key: the first remembered reference whose story is missing, or of another run, is one
        // the foreign key rejects.
        var ordered = references.OrderBy(r => r.Value).ToList();
        var stored = await lookup.RunsOfParentsAsync(ordered.Select(r => r.Key.Parent).Distinct(), parentsInScope).ConfigureAwait(false);
        foreach (var ((parent, run), at) in ordered)
        {
            if (!stored.TryGetValue(parent, out var storyRun) || storyRun.RunId != run)
            {
                return ExplainReference(parent, run, position ?? at, stored, parentsInScope, error);
            }
        }

        // Every reference is to a stored story of the card's run or to one of this cycle's: the database still rejected
        // one, so a story of the cycle was not written (ExistingRows.Skip skipped it). Without the key in the error
        // (SQL Server's 547) the library cannot tell which, since a replayed story of the cycle is skipped too.
        if (rows.Window.HoldsEveryParent && ordered.Any(r => stored.TryGetValue(r.Key.Parent, out var s) && s.InCycle))
        {
            return Reject(
                position,
                Map.ParentField!,
                $"references a {_parent.Map.EntityName} of this cycle that was not written: with ExistingRows.Skip, a story whose id or (run_id, position) " +
                $"another story (stored, or of this batch) already holds is skipped, and its cards cannot be stored{HintOf(violation)}",
                error);
        }

        return Reject(
            position,
            Map.ParentField!,
            string.Create(
                CultureInfo.InvariantCulture,
                $"references a {_parent.Map.EntityName} that is not in the database or belongs to another run, beyond the first {RowWindow.Capacity:N0} distinct references the library remembers{HintOf(violation)}"),
            error);
    }

    private BatchValidationException? ExplainReference(
        Guid parent, Guid? cardRun, long? position, Dictionary<Guid, (Guid RunId, bool InCycle)> runs, RowWindow? parentsInScope, Exception error)
    {
        var parentEntity = _parent!.Map.EntityName;
        if (!runs.TryGetValue(parent, out var story))
        {
            var where = parentsInScope is { HoldsEveryId: false }
                ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"is not in the database nor among the first {RowWindow.Capacity:N0} stories of this cycle (if it is a later story of the cycle, its run is not the card's)")
                : "is neither in this batch nor in the database";
            return Reject(position, Map.ParentField!, $"references {parentEntity} {parent}, which {where}", error);
        }

        if (cardRun is { } run && run != story.RunId)
        {
            var whereStored = story.InCycle ? "written in this cycle" : "already stored";
            return Reject(
                position,
                "RunId",
                $"is run {run}, but its {parentEntity.ToLowerInvariant()} {parent} ({whereStored}) belongs to run {story.RunId}; a card and its story must share a run",
                error);
        }

        // A story of this cycle, of the card's run, that the database still did not have: with ExistingRows.Skip it was
        // skipped because another story (stored, or of this batch) holds its id or its (run_id, position): no parent.
        if (story.InCycle)
        {
            return Reject(
                position,
                Map.ParentField!,
                $"references {parentEntity} {parent} of this cycle, which was not written: it was skipped as an existing row (ExistingRows.Skip) " +
                $"because another {parentEntity.ToLowerInvariant()} (stored, or of this batch) already has its id or its (run_id, position); a card must reference the {parentEntity.ToLowerInvariant()} that was written",
                error);
        }

        return null;
    }

    /// <summary>The run of the rejected row with <paramref name="id"/>: as the error printed it, or as the batch's window remembers it.</summary>
    private static Guid? RunOf(Guid id, Dictionary<string, string>? values, RowSource<T> rows)
    {
        if (values is not null && values.TryGetValue("run_id", out var text) && Guid.TryParse(text, out var printed))
        {
            return printed;
        }

        return rows.Window.TryGetId(id, out _, out var remembered) ? remembered : null;
    }

    /// <summary>The key's values by column: as the database printed them, or read from the rejected row when the writer knows it.</summary>
    private Dictionary<string, string>? KeyValues(ConstraintViolation violation, RowSource<T> rows)
    {
        if (violation.Values is { } printed)
        {
            var columns = violation.Columns
                ?? (violation.Key == ViolatedKey.Id && printed.Count == 1 ? ["id"]
                    : violation.Key == ViolatedKey.NaturalKey && printed.Count == Map.NaturalKey.Count ? Map.NaturalKey
                    : null);
            // Ids in the canonical form (SQL Server prints uniqueidentifier values in upper case).
            return columns?.Zip(printed).ToDictionary(p => p.First, p => Guid.TryParse(p.Second, out var guid) ? guid.ToString() : p.Second, StringComparer.Ordinal);
        }

        if (rows.RejectedRow is not { } row)
        {
            return null;
        }

        IReadOnlyList<string>? keyColumns = violation.Columns ?? violation.Key switch
        {
            ViolatedKey.Id => ["id"],
            ViolatedKey.NaturalKey => Map.NaturalKey,
            ViolatedKey.Parent when _parentColumn is not null => ["run_id", _parentColumn.Name],
            _ => null,
        };
        if (keyColumns is null)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in keyColumns)
        {
            if (Map.FindColumn(name) is { } column && column.GetBoxed(row, rows.Context) is { } value)
            {
                values[name] = Convert.ToString(value, CultureInfo.InvariantCulture)!;
            }
        }

        return values;
    }

    /// <summary>
    /// A unique key that is not one of the library's (an index the application added to its tables, or an error that
    /// names none): the error names the constraint or its columns, never the values, which may be row content.
    /// </summary>
    private BatchValidationException RejectUnknown(long? position, ConstraintViolation violation, IReadOnlyList<string>? columns, Exception error)
    {
        var field = columns is [var only] && Map.FindColumn(only) is { } column ? column.PropertyName : "(row)";
        var which = (violation.Constraint, columns) switch
        {
            ({ } constraint, { Count: > 0 }) => $"the unique key {constraint} ({string.Join(", ", columns)})",
            ({ } constraint, _) => $"the unique key {constraint}",
            (null, { Count: > 0 }) => $"a unique key on ({string.Join(", ", columns)})",
            _ => "a unique key",
        };
        return Reject(
            position,
            field,
            $"violates {which}, which is not one of the library's keys: another row of the same batch or a stored row has the same value (the value is not repeated here, as it may be row content)",
            error);
    }

    private static bool SameColumns(IReadOnlyList<string> columns, IReadOnlyList<string> key) =>
        columns.Count == key.Count && columns.All(c => key.Contains(c, StringComparer.Ordinal));

    private static string HintOf(ConstraintViolation violation) => violation.Hint is { } hint ? $" ({hint})" : string.Empty;

    private BatchValidationException Reject(long? position, string field, string reason, Exception error) =>
        new(Map.EntityName, position, field, reason, error);
}
