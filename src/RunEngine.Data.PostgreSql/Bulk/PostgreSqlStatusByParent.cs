using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;
using RunEngine.Data.Providers;
using RunEngine.Data.Repositories;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.PostgreSql.Bulk;

/// <summary>
/// PostgreSQL's status changes by parent (<see cref="StatusByParentStatements"/>): one statement whatever the number of
/// parents, and the count of an earlier attempt's entries by the call's id range. Distributed by run, one statement per
/// run (Citus takes row locks in single-shard statements only), in one transaction.
/// </summary>
internal sealed class PostgreSqlStatusByParent
{
    private readonly TableNames _tables;
    private readonly SqlDialect _dialect;
    private readonly int _commandTimeout;
    private readonly bool _distributed;
    private readonly ConcurrentDictionary<(StatusChangeTable Table, bool InRun), string> _byParent = new();
    private readonly ConcurrentDictionary<StatusChangeTable, string> _oneRun = new();

    /// <param name="tables">The tables.</param>
    /// <param name="dialect">The dialect.</param>
    /// <param name="commandTimeoutSeconds">The provider's command timeout.</param>
    /// <param name="distributed">Distributed by run: one statement per run, each naming it.</param>
    public PostgreSqlStatusByParent(TableNames tables, SqlDialect dialect, int commandTimeoutSeconds, bool distributed)
    {
        _tables = tables;
        _dialect = dialect;
        _commandTimeout = commandTimeoutSeconds;
        _distributed = distributed;
    }

    /// <summary>
    /// The change by parent as one statement. Distributed by run, every statement names one run: the change of stories
    /// by run goes once per run, the id-only change of cards by story first reads its stories' runs
    /// (<see cref="StatusByParentStatements.RunsOfStories"/>) and goes once per run with that run's stories, runs in
    /// Guid order (<see cref="StatusByParentStatements.ApplyOneRun"/>); several runs go in one transaction, the scope's
    /// or, in autocommit, one of the call's own. The count is the sum.
    /// </summary>
    public async Task<long> ApplyAsync(OperationScope scope, StatusChangeTable table, ParentStatusChange change, CancellationToken cancellationToken)
    {
        var connection = scope.Connection as NpgsqlConnection
            ?? throw new ArgumentException("PostgreSQL status changes need an NpgsqlConnection.", nameof(scope));
        if (_distributed)
        {
            return await ApplyPerRunAsync(scope, connection, table, change, cancellationToken).ConfigureAwait(false);
        }

        var sql = _byParent.GetOrAdd((table, change.RunId is not null), static (key, self) => StatusByParentStatements.Apply(key.Table, self._tables.RunLog, self._dialect, key.InRun), this);

        // One statement whatever the number of parents: the ids travel as one uuid[] parameter.
        var command = ByParentCommand(sql, connection, table, change, change.ParentIds.ToArray());
        await using var commandDisposal = command.ConfigureAwait(false);
        if (change.RunId is { } run)
        {
            command.Parameters.Add(new NpgsqlParameter("RunId", NpgsqlDbType.Uuid) { Value = run });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The entries in the call's id range (<see cref="StatusByParentStatements.CountLogged(StatusChangeTable, string, SqlDialect, bool)"/>): one index range scan.</summary>
    public async Task<long?> CountLoggedAsync(OperationScope scope, StatusChangeTable table, ParentStatusChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(change);
        var connection = scope.Connection as NpgsqlConnection
            ?? throw new ArgumentException("PostgreSQL status changes need an NpgsqlConnection.", nameof(scope));
        var (low, high) = CallEventIds.Range(change.EventBase);
        var command = new NpgsqlCommand(StatusByParentStatements.CountLogged(table, _tables.RunLog, _dialect, change.RunId is not null), connection)
        {
            CommandTimeout = _commandTimeout,
            Parameters =
            {
                new NpgsqlParameter("Low", NpgsqlDbType.Uuid) { Value = low },
                new NpgsqlParameter("High", NpgsqlDbType.Uuid) { Value = high },
            },
        };
        await using var commandDisposal = command.ConfigureAwait(false);
        if (change.RunId is { } run)
        {
            command.Parameters.Add(new NpgsqlParameter("RunId", NpgsqlDbType.Uuid) { Value = run });
        }
        else if (!table.IsCard)
        {
            command.Parameters.Add(new NpgsqlParameter("ParentIds", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = change.ParentIds.ToArray() });
        }

        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The distributed mode's change by parent: one statement per run (see <see cref="ApplyAsync"/>).</summary>
    private async Task<long> ApplyPerRunAsync(
        OperationScope scope, NpgsqlConnection connection, StatusChangeTable table, ParentStatusChange change, CancellationToken cancellationToken)
    {
        var sql = _oneRun.GetOrAdd(table, static (key, self) => StatusByParentStatements.ApplyOneRun(key, self._tables.RunLog, self._dialect), this);
        var parents = change.ParentIds.ToArray();
        IReadOnlyList<(Guid Run, Guid[] Parents)> plan = change.RunId is { } run
            ? [(run, parents)]
            : table.IsCard
            ? await RunsOfStoriesAsync(connection, table, parents, cancellationToken).ConfigureAwait(false)
            : [.. parents.Order().Select(r => (r, new[] { r }))];
        if (plan.Count == 0)
        {
            // No story found: nothing to lock or change.
            return 0;
        }

        var own = plan.Count > 1 && scope.Transaction is null
            ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false)
            : null;
        try
        {
            // Each run's entries are numbered on from the earlier runs' (one range of distinct ids per call).
            long changed = 0;
            foreach (var (runId, runParents) in plan)
            {
                var command = ByParentCommand(sql, connection, table, change, runParents);
                await using var commandDisposal = command.ConfigureAwait(false);
                command.Parameters.Add(new NpgsqlParameter("RunId", NpgsqlDbType.Uuid) { Value = runId });
                command.Parameters.Add(new NpgsqlParameter("EventOffset", NpgsqlDbType.Bigint) { Value = changed });
                changed += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (own is not null)
            {
                await own.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return changed;
        }
        finally
        {
            if (own is not null)
            {
                // Rolls back when the commit was not reached.
                await own.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The runs of the stories <paramref name="storyIds"/>, in Guid order, each with its stories in Guid order (a read without locks).</summary>
    private async Task<IReadOnlyList<(Guid Run, Guid[] Parents)>> RunsOfStoriesAsync(
        NpgsqlConnection connection, StatusChangeTable table, Guid[] storyIds, CancellationToken cancellationToken)
    {
        var stories = table.StoriesTable ?? throw new InvalidOperationException("A change of cards by story needs the stories table.");
        var command = new NpgsqlCommand(StatusByParentStatements.RunsOfStories(stories, _dialect), connection)
        {
            CommandTimeout = _commandTimeout,
            Parameters = { new NpgsqlParameter("ParentIds", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = storyIds } },
        };
        await using var commandDisposal = command.ConfigureAwait(false);
        var found = new List<(Guid Id, Guid Run)>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add((reader.GetGuid(0), reader.GetGuid(1)));
            }
        }

        return [.. found.GroupBy(f => f.Run).OrderBy(g => g.Key).Select(g => (g.Key, g.Select(f => f.Id).Order().ToArray()))];
    }

    /// <summary>The command of a change by parent with its parameters (the run's, where it names one, are added by the caller).</summary>
    private NpgsqlCommand ByParentCommand(string sql, NpgsqlConnection connection, StatusChangeTable table, ParentStatusChange change, Guid[] parentIds) => new(sql, connection)
    {
        CommandTimeout = _commandTimeout,
        Parameters =
        {
            new NpgsqlParameter("ParentIds", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = parentIds },
            new NpgsqlParameter("From", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = change.From },
            new NpgsqlParameter("To", NpgsqlDbType.Smallint) { Value = change.To },
            new NpgsqlParameter("InProgress", NpgsqlDbType.Smallint) { Value = (short)StoryStatus.InProgress },
            new NpgsqlParameter("Now", NpgsqlDbType.TimestampTz) { Value = change.Now },
            new NpgsqlParameter("Kind", NpgsqlDbType.Varchar) { Value = table.Kind },
            new NpgsqlParameter("Message", NpgsqlDbType.Varchar) { Value = (object?)change.Message ?? DBNull.Value },
            new NpgsqlParameter("MessageHead", NpgsqlDbType.Varchar) { Value = change.MessageHead },
            new NpgsqlParameter("EventPrefix", NpgsqlDbType.Text) { Value = CallEventIds.RangePrefix(change.EventBase) },
        },
    };
}
