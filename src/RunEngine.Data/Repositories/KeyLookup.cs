using System.Globalization;
using Dapper;
using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Repositories;

/// <summary>
/// The keyed look-ups of <see cref="KeyViolationTranslator{T}"/> on the operation's connection (after the rollback),
/// parameterized and in chunks the provider's parameter limit allows.
/// </summary>
internal readonly struct KeyLookup<T>(
    DatabaseProvider provider, TableStatements<T> statements, TableStatements<Story>? parent, OperationScope scope, CancellationToken cancellationToken)
    where T : class
{
    private const int LookupChunk = 1_000;

    private int ChunkSize => Math.Min(LookupChunk, provider.Dialect.MaxParameters - 1);

    /// <summary>Which of <paramref name="ids"/> the statement <paramref name="sql"/> (with its <c>@Ids</c> list, and <c>@RunId</c> when it names one) finds.</summary>
    public async Task<HashSet<Guid>> ExistingIdsAsync(string sql, IEnumerable<Guid> ids, Guid? runId = null)
    {
        var found = new HashSet<Guid>();
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            var reader = await scope.Connection.ExecuteReaderAsync(Command(sql, new { RunId = runId, Ids = chunk })).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(reader.GetFieldValue<Guid>(0));
            }
        }

        return found;
    }

    /// <summary>
    /// The first (by position) of the given ids that is stored: by id, or where ids are unique per run only
    /// (<see cref="DatabaseProvider.IdsUniquePerRun"/>) by id within each row's run, one look-up per run and chunk.
    /// </summary>
    public async Task<(Guid Id, long Position)?> FirstStoredAsync(IEnumerable<(Guid Id, long Position, Guid RunId)> ids)
    {
        (Guid Id, long Position)? first = null;
        var groups = provider.IdsUniquePerRun
            ? ids.GroupBy(i => (Guid?)i.RunId)
            : ids.GroupBy(_ => (Guid?)null);
        foreach (var group in groups)
        {
            var sql = group.Key is null ? statements.SelectExistingIds : statements.SelectExistingIdsOfRun;
            foreach (var chunk in group.Chunk(ChunkSize))
            {
                var stored = await ExistingIdsAsync(sql, chunk.Select(c => c.Id), group.Key).ConfigureAwait(false);
                foreach (var candidate in chunk)
                {
                    if (stored.Contains(candidate.Id) && (first is null || candidate.Position < first.Value.Position))
                    {
                        first = (candidate.Id, candidate.Position);
                    }
                }
            }
        }

        return first;
    }

    /// <summary>The id of the stored row with the natural key <paramref name="values"/>; null when there is none.</summary>
    public async Task<Guid?> IdByKeyAsync(IReadOnlyList<string> columns, Dictionary<string, string> values)
    {
        var dialect = provider.Dialect;
        var parameters = new DynamicParameters();
        var conditions = new List<string>();
        for (var i = 0; i < columns.Count; i++)
        {
            var column = statements.Map.FindColumn(columns[i]);
            if (column is null || ParseAs(column.Kind, values[columns[i]]) is not { } value)
            {
                return null;
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"K{i}");
            parameters.Add(name, value);
            conditions.Add($"{dialect.Quote(column.Name)} = @{name}");
        }

        var sql = ByConditionsSql(dialect, statements.Table, conditions);
        var reader = await scope.Connection.ExecuteReaderAsync(Command(sql, parameters)).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetFieldValue<Guid>(0) : null;
    }

    /// <summary>The run of each of the <paramref name="parents"/> that exists: written earlier in the cycle (its window) or stored.</summary>
    public async Task<Dictionary<Guid, (Guid RunId, bool InCycle)>> RunsOfParentsAsync(IEnumerable<Guid> parents, RowWindow? parentsInScope)
    {
        var runs = new Dictionary<Guid, (Guid, bool)>();
        var dialect = provider.Dialect;
        var sql = RunsOfParentsSql(dialect, parent!.Table);
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

    /// <summary>The id of the row of <paramref name="table"/> matching every condition (<c>[column] = @K0</c>, …).</summary>
    internal static string ByConditionsSql(SqlDialect dialect, string table, IEnumerable<string> conditions) =>
        $"SELECT {dialect.Quote("id")} FROM {table} WHERE {string.Join(" AND ", conditions)}";

    /// <summary>The look-up of <see cref="ByConditionsSql"/> for a natural key's columns, as <see cref="IdByKeyAsync"/> sends it.</summary>
    internal static string ByKeySql(SqlDialect dialect, string table, IReadOnlyList<string> columns) =>
        ByConditionsSql(dialect, table, columns.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{dialect.Quote(c)} = @K{i}")));

    /// <summary>The id and run of the stories in the list parameter <c>@Ids</c> (Dapper expands the list).</summary>
    internal static string RunsOfParentsSql(SqlDialect dialect, string table) =>
        $"SELECT {dialect.Quote("id")}, {dialect.Quote("run_id")} FROM {table} WHERE {dialect.InList(dialect.Quote("id"), "@Ids")}";

    private static object? ParseAs(ColumnKind kind, string text) => kind switch
    {
        ColumnKind.Guid => Guid.TryParse(text, out var guid) ? guid : null,
        ColumnKind.Int32 => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null,
        ColumnKind.Int16 => short.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var small) ? small : null,
        _ => null,
    };

    private CommandDefinition Command(string sql, object parameters) =>
        new(sql, parameters, scope.Transaction, provider.CommandTimeoutSeconds, cancellationToken: cancellationToken);
}
