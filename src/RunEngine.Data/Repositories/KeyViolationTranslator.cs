using System.Globalization;
using Dapper;
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
    private const int LookupChunk = 1_000;
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

    private SqlDialect Dialect => _provider.Dialect;

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
        var lookup = new Lookup(this, scope, cancellationToken);
        return violation.Kind == DbErrorKind.ForeignKeyViolation
            ? await ExplainParentAsync(lookup, rows, violation, values, position, parentsInScope, error).ConfigureAwait(false)
            : await ExplainUniqueAsync(lookup, rows, violation, values, position, error).ConfigureAwait(false);
    }

    private async Task<Exception?> ExplainUniqueAsync(
        Lookup lookup, RowSource<T> rows, ConstraintViolation violation, Dictionary<string, string>? values, long? position, Exception error)
    {
        var key = violation.Key;
        if (key == ViolatedKey.Unknown && values is not null)
        {
            key = values.ContainsKey("id") ? ViolatedKey.Id : ViolatedKey.NaturalKey;
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
            if ((await lookup.ExistingIdsAsync(_statements.SelectExistingIds, [known]).ConfigureAwait(false)).Count > 0)
            {
                position ??= window.TryGetId(known, out var first, out _) ? first : null;
                return Reject(position, "Id", $"{known} is already stored: a {Map.EntityName} with this id exists in the database", error);
            }

            return Reject(position, "Id", $"repeats the id {known} of another row of the same batch", error);
        }

        // The error named no id: the first of the window's ids that is already stored is one the database rejects.
        var taken = await lookup.FirstStoredAsync(window.Ids.Select(e => (e.Key, e.Value.Position))).ConfigureAwait(false);
        if (taken is { } stored && (position is null || position == stored.Position))
        {
            return Reject(stored.Position, "Id", $"{stored.Id} is already stored: a {Map.EntityName} with this id exists in the database", error);
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
        Lookup lookup, RowSource<T> rows, ConstraintViolation violation, Dictionary<string, string>? values, long? position, Exception error)
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
        Lookup lookup,
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

        return null;
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

    private static string HintOf(ConstraintViolation violation) => violation.Hint is { } hint ? $" ({hint})" : string.Empty;

    private BatchValidationException Reject(long? position, string field, string reason, Exception error) =>
        new(Map.EntityName, position, field, reason, error);

    /// <summary>Keyed look-ups on the operation's connection, in chunks the provider's parameter limit allows.</summary>
    private readonly struct Lookup(KeyViolationTranslator<T> owner, OperationScope scope, CancellationToken cancellationToken)
    {
        private int ChunkSize => Math.Min(LookupChunk, owner.Dialect.MaxParameters - 1);

        public async Task<HashSet<Guid>> ExistingIdsAsync(string sql, IEnumerable<Guid> ids)
        {
            var found = new HashSet<Guid>();
            foreach (var chunk in ids.Chunk(ChunkSize))
            {
                var reader = await scope.Connection.ExecuteReaderAsync(Command(sql, new { Ids = chunk })).ConfigureAwait(false);
                await using var readerDisposal = reader.ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    found.Add(reader.GetFieldValue<Guid>(0));
                }
            }

            return found;
        }

        /// <summary>The first (by position) of the given ids that is stored.</summary>
        public async Task<(Guid Id, long Position)?> FirstStoredAsync(IEnumerable<(Guid Id, long Position)> ids)
        {
            (Guid Id, long Position)? first = null;
            foreach (var chunk in ids.Chunk(ChunkSize))
            {
                var stored = await ExistingIdsAsync(owner._statements.SelectExistingIds, chunk.Select(c => c.Id)).ConfigureAwait(false);
                foreach (var candidate in chunk)
                {
                    if (stored.Contains(candidate.Id) && (first is null || candidate.Position < first.Value.Position))
                    {
                        first = candidate;
                    }
                }
            }

            return first;
        }

        /// <summary>The id of the stored row with the natural key <paramref name="values"/>; null when there is none.</summary>
        public async Task<Guid?> IdByKeyAsync(IReadOnlyList<string> columns, Dictionary<string, string> values)
        {
            var dialect = owner.Dialect;
            var parameters = new DynamicParameters();
            var conditions = new List<string>();
            for (var i = 0; i < columns.Count; i++)
            {
                var column = owner.Map.FindColumn(columns[i]);
                if (column is null || ParseAs(column.Kind, values[columns[i]]) is not { } value)
                {
                    return null;
                }

                var name = string.Create(CultureInfo.InvariantCulture, $"K{i}");
                parameters.Add(name, value);
                conditions.Add($"{dialect.Quote(column.Name)} = @{name}");
            }

            var sql = $"SELECT {dialect.Quote("id")} FROM {owner._statements.Table} WHERE {string.Join(" AND ", conditions)}";
            var reader = await scope.Connection.ExecuteReaderAsync(Command(sql, parameters)).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetFieldValue<Guid>(0) : null;
        }

        /// <summary>The run of each of the <paramref name="parents"/> that exists: written earlier in the cycle (its window) or stored.</summary>
        public async Task<Dictionary<Guid, (Guid RunId, bool InCycle)>> RunsOfParentsAsync(IEnumerable<Guid> parents, RowWindow? parentsInScope)
        {
            var runs = new Dictionary<Guid, (Guid, bool)>();
            var dialect = owner.Dialect;
            var sql = $"SELECT {dialect.Quote("id")}, {dialect.Quote("run_id")} FROM {owner._parent!.Table} " +
                $"WHERE {dialect.InList(dialect.Quote("id"), "@Ids")}";
            var toLookUp = new List<Guid>();
            foreach (var parent in parents)
            {
                if (parentsInScope is not null && parentsInScope.TryGetId(parent, out _, out var run))
                {
                    runs[parent] = (run, true);
                }
                else
                {
                    toLookUp.Add(parent);
                }
            }

            foreach (var chunk in toLookUp.Chunk(ChunkSize))
            {
                var reader = await scope.Connection.ExecuteReaderAsync(Command(sql, new { Ids = chunk })).ConfigureAwait(false);
                await using var readerDisposal = reader.ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    runs[reader.GetFieldValue<Guid>(0)] = (reader.GetFieldValue<Guid>(1), false);
                }
            }

            return runs;
        }

        private static object? ParseAs(ColumnKind kind, string text) => kind switch
        {
            ColumnKind.Guid => Guid.TryParse(text, out var guid) ? guid : null,
            ColumnKind.Int32 => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null,
            ColumnKind.Int16 => short.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var small) ? small : null,
            _ => null,
        };

        private CommandDefinition Command(string sql, object parameters) =>
            new(sql, parameters, scope.Transaction, owner._provider.CommandTimeoutSeconds, cancellationToken: cancellationToken);
    }
}
