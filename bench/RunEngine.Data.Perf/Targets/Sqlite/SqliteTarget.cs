using System.Data.Common;
using Microsoft.Data.Sqlite;
using RunEngine.Data.Mapping;
using RunEngine.Data.Perf.Measurement;
using RunEngine.Data.Perf.Methods;
using RunEngine.Data.Perf.Peers;
using RunEngine.Data.Perf.Workload;
using RunEngine.Data.Sqlite;

namespace RunEngine.Data.Perf.Targets.Sqlite;

/// <summary>
/// SQLite file in WAL mode. The bench's own connections get the settings the library gives its own
/// (foreign keys on, synchronous=NORMAL, busy timeout) and share the library's connection pool.
/// </summary>
internal sealed class SqliteTarget : BenchTarget
{
    private const string ConnectionPragmas = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

    private readonly string _path;
    private readonly bool _deleteAfterwards;
    private readonly string _connectionString;
    private readonly SqliteStatementCounter _counter;
    private readonly int _chunkRows;

    public SqliteTarget(string? path, int multiRowChunkRows = 20)
    {
        _deleteAfterwards = path is null;
        _path = path ?? Path.Combine(Path.GetTempPath(), $"runengine-perf-{Environment.ProcessId}.db");
        _connectionString = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = true }.ConnectionString;
        _counter = new SqliteStatementCounter(_connectionString);
        _chunkRows = multiRowChunkRows;
    }

    public override string Name => "SQLite";

    public override PeerDatabase Peers { get; } = new SqlitePeers();

    public override IStatementCounter Counter => _counter;

    protected override int MaxParameters => 32_766;

    protected override int DefaultChunk(int columns) => _chunkRows;

    public override string MultiRowNote =>
        $"{MultiRowChunk(11)} rows per statement{(ChunkOverride is null ? string.Empty : " (--chunk)")}: SQLite's per-statement cost grows with its width, so filling it to the 32,766-parameter limit is far slower";

    // No row locks to skip: an auto-committed UPDATE holds SQLite's single write lock, so claims run one after another.
    public override string NaiveClaimSql =>
        $"UPDATE {StoriesTable} SET status = @InProgress, claimed_by = @Worker, lease_expires_at = @Expires, updated_at = @Now, version = version + 1 " +
        $"WHERE id IN (SELECT id FROM {StoriesTable} WHERE run_id = @RunId " +
        "AND (status = @Ready OR (status = @InProgress AND (lease_expires_at IS NULL OR lease_expires_at < @Now))) " +
        "ORDER BY position LIMIT @Max) RETURNING id, version";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = ConnectionPragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public override async Task RawLimitAsync(PrebuiltRows rows, CancellationToken cancellationToken)
    {
        HandWrittenColumns.Check(RunEngineTables.Stories);
        HandWrittenColumns.Check(RunEngineTables.Cards);
        await using var connection = (SqliteConnection)await OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var insert = Prepare(connection, transaction, Database.Provider.Stories.InsertColumns, RunEngineTables.Stories))
        {
            var p = insert.Parameters;
            foreach (ref readonly var s in rows.Stories.AsSpan())
            {
                p[0].Value = s.Id;
                p[1].Value = s.RunId;
                p[2].Value = s.Position;
                p[3].Value = s.Title;
                p[4].Value = (object?)s.Body ?? DBNull.Value;
                p[5].Value = s.Status;
                p[6].Value = s.Version;
                p[7].Value = s.CreatedAt;
                p[8].Value = s.UpdatedAt;
                p[9].Value = (object?)s.Metadata ?? DBNull.Value;
                p[10].Value = (object?)s.ClaimedBy ?? DBNull.Value;
                p[11].Value = (object?)s.LeaseExpiresAt ?? DBNull.Value;
                insert.ExecuteNonQuery();
            }
        }

        using (var insert = Prepare(connection, transaction, Database.Provider.Cards.InsertColumns, RunEngineTables.Cards))
        {
            var p = insert.Parameters;
            foreach (ref readonly var c in rows.Cards.AsSpan())
            {
                p[0].Value = c.Id;
                p[1].Value = c.RunId;
                p[2].Value = c.StoryId;
                p[3].Value = c.Position;
                p[4].Value = c.Title;
                p[5].Value = (object?)c.Description ?? DBNull.Value;
                p[6].Value = c.Status;
                p[7].Value = c.Version;
                p[8].Value = c.CreatedAt;
                p[9].Value = c.UpdatedAt;
                p[10].Value = (object?)c.Metadata ?? DBNull.Value;
                insert.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_deleteAfterwards)
        {
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(_path + suffix);
            }
        }
    }

    protected override async Task<RunEngineDatabase> ConnectAsync(CancellationToken cancellationToken)
    {
        await using (var connection = (SqliteConnection)await OpenAsync(cancellationToken))
        {
            Version = connection.ServerVersion;
        }

        return SqliteDatabase.Create(_connectionString, new SqliteOptions { TablePrefix = TablePrefix });
    }

    // VACUUM gives the next run a compact file rather than one full of free pages left by the dropped tables.
    protected override async Task AfterDropAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteCommand Prepare<T>(SqliteConnection connection, SqliteTransaction transaction, string insertColumns, TableMap<T> map)
        where T : class
    {
        var columns = map.Columns.Count;
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"{insertColumns} VALUES ({string.Join(", ", Enumerable.Range(0, columns).Select(i => $"@p{i}"))})";
        for (var i = 0; i < columns; i++)
        {
            // Ids and timestamps as TEXT: the representation the library's schema documents and its writer binds.
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.SqliteType = map.Columns[i].Kind is ColumnKind.Int32 or ColumnKind.Int16 ? SqliteType.Integer : SqliteType.Text;
            command.Parameters.Add(parameter);
        }

        command.Prepare();
        return command;
    }
}
