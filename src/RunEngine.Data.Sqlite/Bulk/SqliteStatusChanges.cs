using Microsoft.Data.Sqlite;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;
using RunEngine.Data.Repositories;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.Sqlite.Bulk;

/// <summary>
/// Set-based status changes on SQLite: SQLite is in-process, so there are no round trips to save; one prepared
/// <c>UPDATE ... RETURNING</c> runs per change, a prepared version read explains a change that did not match, and a
/// prepared insert writes each applied change's log entry, all in the caller's IMMEDIATE transaction (which holds the
/// database's single write lock, so overlapping batches run one after the other and cannot deadlock). Ids past the
/// source's window are checked against a temporary keyed table, created only for batches that long. All or nothing
/// is the caller's rollback (see <see cref="StatusChangeStore"/>). The statements run under
/// <see cref="StatusChangeOptions.Timeout"/> in whole seconds (none without one), as a bulk insert's prepared statement
/// runs under <see cref="BulkInsertOptions.Timeout"/>; a change by parent under the provider's command timeout.
/// </summary>
internal sealed class SqliteStatusChanges : IStatusChangeWriter
{
    private const string SeenTable = "temp.runengine_status_seen";

    // Parents per UPDATE of a change by parent: SQLite allows 32,766 parameters per statement (SQLITE_MAX_VARIABLE_NUMBER
    // since 3.32); 10,000 leaves room for the statuses and keeps one statement's text small.
    private const int ParentsPerStatement = 10_000;
    private readonly RunStatements _runs;
    private readonly SqlDialect _dialect;
    private readonly int _commandTimeout;

    public SqliteStatusChanges(RunStatements runs, SqlDialect dialect, int commandTimeoutSeconds)
    {
        _runs = runs;
        _dialect = dialect;
        _commandTimeout = commandTimeoutSeconds;
    }

    public async Task<StatusChangeOutcome> ApplyAsync(
        OperationScope scope, StatusChangeTable table, StatusChangeSource changes, StatusChangeOptions options, DateTimeOffset now, Guid? runId, CancellationToken cancellationToken)
    {
        var timeout = options.TimeoutSeconds;
        string Q(string name) => _dialect.Quote(name);
        var connection = (SqliteConnection)scope.Connection;
        var transaction = (SqliteTransaction)scope.Transaction!;
        var parent = table.IsCard ? Q("story_id") : "NULL";
        // The run-scoped form finds each row in the call's run only: another run's row is a missing row.
        var ofRun = runId is null ? string.Empty : $"{Q("run_id")} = @RunId AND ";
        var update = Prepare(
            connection,
            transaction,
            timeout,
            $"UPDATE {table.Table} SET {Q("status")} = @Status, {Q("version")} = {Q("version")} + 1, {Q("updated_at")} = @Now{table.ClaimReset("@Status")} " +
            $"WHERE {ofRun}{Q("id")} = @Id AND {Q("version")} = @ExpectedVersion RETURNING {Q("run_id")}, {parent}",
            [("@Status", SqliteType.Integer), ("@Now", SqliteType.Text), ("@Id", SqliteType.Text), ("@ExpectedVersion", SqliteType.Integer), ("@InProgress", SqliteType.Integer), .. RunParameter(runId)]);
        var version = Prepare(
            connection, transaction, timeout, $"SELECT {Q("version")} FROM {table.Table} WHERE {ofRun}{Q("id")} = @Id", [("@Id", SqliteType.Text), .. RunParameter(runId)]);
        if (runId is { } run)
        {
            update.Parameters["@RunId"].Value = run;
            version.Parameters["@RunId"].Value = run;
        }

        var log = Prepare(
            connection,
            transaction,
            timeout,
            _runs.InsertEvent,
            ("@EventId", SqliteType.Text), ("@RunId", SqliteType.Text), ("@StoryId", SqliteType.Text), ("@CardId", SqliteType.Text),
            ("@Kind", SqliteType.Text), ("@Message", SqliteType.Text), ("@Worker", SqliteType.Text), ("@OccurredAt", SqliteType.Text));
        SqliteCommand? seen = null;
        await using var updateDisposal = update.ConfigureAwait(false);
        await using var versionDisposal = version.ConfigureAwait(false);
        await using var logDisposal = log.ConfigureAwait(false);
        update.Parameters["@Now"].Value = now;
        update.Parameters["@InProgress"].Value = (short)StoryStatus.InProgress;
        log.Parameters["@Kind"].Value = table.Kind;
        log.Parameters["@Worker"].Value = DBNull.Value;
        log.Parameters["@OccurredAt"].Value = now;

        var conflicts = new List<StatusConflict>();
        var missing = new List<Guid>();
        long changed = 0;
        try
        {
            while (await changes.MoveNextAsync().ConfigureAwait(false))
            {
                var change = changes.Current;
                if (!changes.Window.HoldsEveryId)
                {
                    seen ??= await StartSeenAsync(connection, transaction, timeout, cancellationToken).ConfigureAwait(false);
                    seen.Parameters["@Id"].Value = change.Id;
                    if (await seen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                    {
                        throw changes.RepeatedPastWindow();
                    }
                }

                update.Parameters["@Id"].Value = change.Id;
                update.Parameters["@Status"].Value = change.Status;
                update.Parameters["@ExpectedVersion"].Value = change.ExpectedVersion;
                Guid? changedRun = null;
                Guid? storyId = null;
                var reader = await update.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        changedRun = reader.GetGuid(0);
                        storyId = reader.IsDBNull(1) ? null : reader.GetGuid(1);
                    }
                }

                if (changedRun is { } rowRun)
                {
                    changed++;
                    log.Parameters["@EventId"].Value = change.EventId;
                    log.Parameters["@RunId"].Value = rowRun;
                    log.Parameters["@StoryId"].Value = table.IsCard ? storyId!.Value : change.Id;
                    log.Parameters["@CardId"].Value = table.IsCard ? change.Id : DBNull.Value;
                    log.Parameters["@Message"].Value = change.Message;
                    await log.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                version.Parameters["@Id"].Value = change.Id;
                if (await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long actual)
                {
                    conflicts.Add(new StatusConflict(change.Id, change.ExpectedVersion, checked((int)actual)));
                }
                else
                {
                    missing.Add(change.Id);
                }
            }
        }
        finally
        {
            if (seen is not null)
            {
                await seen.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (seen is not null)
        {
            await ExecuteAsync(connection, transaction, timeout, $"DROP TABLE {SeenTable}", cancellationToken).ConfigureAwait(false);
        }

        // The lists are reported in id order on every provider (SQLite stores ids as upper-case text, which sorts like
        // the server's order only by accident; the report's order is the Guid's own).
        conflicts.Sort((a, b) => a.Id.CompareTo(b.Id));
        missing.Sort();
        return new StatusChangeOutcome(changed, conflicts, missing);
    }

    /// <summary>Never: one UPDATE per chunk of parents, then one prepared log INSERT per changed row.</summary>
    public bool ByParentIsOneStatement(ParentStatusChange change) => false;

    /// <summary>Never known: the entries of a change by parent get ids of their own (one transaction on SQLite; NEWID() in SQL Server's OUTPUT).</summary>
    public Task<long?> CountByParentLoggedAsync(OperationScope scope, StatusChangeTable table, ParentStatusChange change, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    public async Task<long> ApplyByParentAsync(OperationScope scope, StatusChangeTable table, ParentStatusChange change, CancellationToken cancellationToken)
    {
        string Q(string name) => _dialect.Quote(name);
        var connection = (SqliteConnection)scope.Connection;
        var transaction = (SqliteTransaction)scope.Transaction!;
        var parent = table.IsCard ? Q("story_id") : "NULL";
        var log = Prepare(
            connection,
            transaction,
            _commandTimeout,
            _runs.InsertEvent,
            ("@EventId", SqliteType.Text), ("@RunId", SqliteType.Text), ("@StoryId", SqliteType.Text), ("@CardId", SqliteType.Text),
            ("@Kind", SqliteType.Text), ("@Message", SqliteType.Text), ("@Worker", SqliteType.Text), ("@OccurredAt", SqliteType.Text));
        await using var logDisposal = log.ConfigureAwait(false);
        log.Parameters["@Kind"].Value = table.Kind;
        log.Parameters["@Worker"].Value = DBNull.Value;
        log.Parameters["@OccurredAt"].Value = change.Now;

        var from = string.Join(", ", change.From.Select((_, i) => "@f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        long changed = 0;
        var rows = new List<(Guid Id, Guid RunId, Guid? StoryId, int Version)>();
        foreach (var chunk in change.Chunks(ParentsPerStatement))
        {
            var ids = string.Join(", ", chunk.Select((_, i) => "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            string InList(string column) => $"{column} IN ({ids})";
            var parents = change.RunId is null ? table.ParentMatch(_dialect, string.Empty, InList) : table.ParentMatchInRun(_dialect, string.Empty, InList);
            var update = connection.CreateCommand();
            await using var updateDisposal = update.ConfigureAwait(false);
            update.Transaction = transaction;
            update.CommandTimeout = _commandTimeout;
            update.CommandText =
                $"UPDATE {table.Table} SET {Q("status")} = @To, {Q("version")} = {Q("version")} + 1, {Q("updated_at")} = @Now{table.ClaimReset("@To")} " +
                $"WHERE {parents} AND {Q("status")} IN ({from}) " +
                $"RETURNING {Q("id")}, {Q("run_id")}, {parent}, {Q("version")}";
            update.Parameters.Add("@To", SqliteType.Integer).Value = change.To;
            update.Parameters.Add("@InProgress", SqliteType.Integer).Value = (short)StoryStatus.InProgress;
            update.Parameters.Add("@Now", SqliteType.Text).Value = change.Now;
            if (change.RunId is { } run)
            {
                update.Parameters.Add("@RunId", SqliteType.Text).Value = run;
            }

            for (var i = 0; i < change.From.Length; i++)
            {
                update.Parameters.Add("@f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), SqliteType.Integer).Value = change.From[i];
            }

            for (var i = 0; i < chunk.Count; i++)
            {
                update.Parameters.Add("@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), SqliteType.Text).Value = chunk[i];
            }

            // RETURNING hands the rows over only once the statement has finished, so they are read whole before the log is written.
            rows.Clear();
            var reader = await update.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((reader.GetGuid(0), reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.GetInt32(3)));
                }
            }

            rows.Sort((a, b) => a.Id.CompareTo(b.Id));
            foreach (var row in rows)
            {
                log.Parameters["@EventId"].Value = Guid.CreateVersion7(change.Now);
                log.Parameters["@RunId"].Value = row.RunId;
                log.Parameters["@StoryId"].Value = table.IsCard ? row.StoryId!.Value : row.Id;
                log.Parameters["@CardId"].Value = table.IsCard ? row.Id : DBNull.Value;
                log.Parameters["@Message"].Value = change.MessageFor(row.Version);
                await log.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            changed += rows.Count;
        }

        return changed;
    }

    private static async Task<SqliteCommand> StartSeenAsync(SqliteConnection connection, SqliteTransaction transaction, int timeout, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, timeout, $"CREATE TEMP TABLE IF NOT EXISTS {SeenTable} (id TEXT PRIMARY KEY) WITHOUT ROWID", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, timeout, $"DELETE FROM {SeenTable}", cancellationToken).ConfigureAwait(false);
        return Prepare(connection, transaction, timeout, $"INSERT INTO {SeenTable} (id) VALUES (@Id) ON CONFLICT DO NOTHING", ("@Id", SqliteType.Text));
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, int timeout, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using var disposal = command.ConfigureAwait(false);
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = timeout;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The <c>@RunId</c> parameter of a run-scoped call; none for the id-only form.</summary>
    private static (string Name, SqliteType Type)[] RunParameter(Guid? runId) => runId is null ? [] : [("@RunId", SqliteType.Text)];

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, int timeout, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = timeout;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }
}
