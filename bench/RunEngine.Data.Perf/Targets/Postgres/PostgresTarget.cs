using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using RunEngine.Data.Mapping;
using RunEngine.Data.Perf.Measurement;
using RunEngine.Data.Perf.Methods;
using RunEngine.Data.Perf.Peers;
using RunEngine.Data.PostgreSql;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Targets.Postgres;

/// <summary>PostgreSQL: the library over its own data source; the bench's methods over a second one.</summary>
internal sealed class PostgresTarget : BenchTarget
{
    private readonly string _connectionString;
    private readonly NpgsqlCommandCounter _activityCounter = new();
    private PgWireCounter? _wireCounter;
    private NpgsqlDataSource? _dataSource;
    private NpgsqlDataSource? _countingDataSource;
    private RunEngineDatabase? _countingDatabase;
    private bool _canCheckpoint = true;

    public PostgresTarget(string connectionString)
    {
        _connectionString = connectionString;
    }

    public override string Name => "PostgreSQL";

    public override PeerDatabase Peers { get; } = new PostgresPeers();

    public override IStatementCounter Counter => (IStatementCounter?)_wireCounter ?? _activityCounter;

    /// <summary>While the wire counter runs, the library instance whose connections go through the relay.</summary>
    public override RunEngineDatabase Database => Counting ? _countingDatabase! : base.Database;

    // 65,535 parameters allow 5,957 card rows; 1,000 rows is the createMany-style chunk the issue's reference figures use.
    protected override int MaxParameters => 65_535;

    protected override int DefaultChunk(int columns) => 1_000;

    public override string MultiRowNote => ChunkOverride is null
        ? "1,000 rows per statement (11,000 parameters; the limit is 65,535)"
        : $"{MultiRowChunk(11)} rows per statement (--chunk)";

    // FOR UPDATE SKIP LOCKED in the picking subquery: concurrent claims skip each other's rows instead of waiting.
    public override string NaiveClaimSql =>
        $"UPDATE {StoriesTable} SET status = @InProgress, claimed_by = @Worker, lease_expires_at = @Expires, updated_at = @Now, version = version + 1 " +
        $"WHERE id IN (SELECT id FROM {StoriesTable} WHERE run_id = @RunId " +
        "AND (status = @Ready OR (status = @InProgress AND (lease_expires_at IS NULL OR lease_expires_at < @Now))) " +
        "ORDER BY position LIMIT @Max FOR UPDATE SKIP LOCKED) RETURNING id, version";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await DataSource.OpenConnectionAsync(cancellationToken);

    private bool Counting => _wireCounter is { Active: true };

    // Npgsql sends strings as text; jsonb takes no implicit cast from a text parameter.
    public override string ParameterExpression<T>(ColumnMap<T> column, string parameter) =>
        column.Kind == ColumnKind.Json ? $"CAST(@{parameter} AS jsonb)" : "@" + parameter;

    /// <summary>
    /// Npgsql closes connections idle for 5 minutes, and a fresh physical connection skips the <c>DISCARD ALL</c> a
    /// reused one gets: touch both relayed pools first so every counting run starts from a reused connection.
    /// </summary>
    public override async Task PrepareCountingAsync(CancellationToken cancellationToken)
    {
        if (_countingDataSource is null || _countingDatabase is null)
        {
            return;
        }

        await using (var connection = await _countingDataSource.OpenConnectionAsync(cancellationToken))
        {
            await using var ping = new NpgsqlCommand("SELECT 1", connection);
            await ping.ExecuteScalarAsync(cancellationToken);
        }

        await _countingDatabase.Stories.GetAsync(Guid.Empty, cancellationToken);
    }

    public override async Task RawLimitAsync(PrebuiltRows rows, CancellationToken cancellationToken)
    {
        HandWrittenColumns.Check(RunEngineTables.Stories);
        HandWrittenColumns.Check(RunEngineTables.Cards);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var storyColumns = Database.Provider.Stories.ColumnList;
        var cardColumns = Database.Provider.Cards.ColumnList;
        using (var importer = await connection.BeginBinaryImportAsync($"COPY {StoriesTable} ({storyColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (ref readonly var s in rows.Stories.AsSpan())
            {
                importer.StartRow();
                importer.Write(s.Id, NpgsqlDbType.Uuid);
                importer.Write(s.RunId, NpgsqlDbType.Uuid);
                importer.Write(s.Position, NpgsqlDbType.Integer);
                importer.Write(s.Title, NpgsqlDbType.Varchar);
                WriteText(importer, s.Body, NpgsqlDbType.Text);
                importer.Write(s.Status, NpgsqlDbType.Smallint);
                importer.Write(s.Version, NpgsqlDbType.Integer);
                importer.Write(s.CreatedAt, NpgsqlDbType.TimestampTz);
                importer.Write(s.UpdatedAt, NpgsqlDbType.TimestampTz);
                WriteText(importer, s.Metadata, NpgsqlDbType.Jsonb);
                WriteText(importer, s.ClaimedBy, NpgsqlDbType.Varchar);
                if (s.LeaseExpiresAt is { } lease)
                {
                    importer.Write(lease, NpgsqlDbType.TimestampTz);
                }
                else
                {
                    importer.WriteNull();
                }
            }

            await importer.CompleteAsync(cancellationToken);
        }

        using (var importer = await connection.BeginBinaryImportAsync($"COPY {CardsTable} ({cardColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (ref readonly var c in rows.Cards.AsSpan())
            {
                importer.StartRow();
                importer.Write(c.Id, NpgsqlDbType.Uuid);
                importer.Write(c.RunId, NpgsqlDbType.Uuid);
                importer.Write(c.StoryId, NpgsqlDbType.Uuid);
                importer.Write(c.Position, NpgsqlDbType.Integer);
                importer.Write(c.Title, NpgsqlDbType.Varchar);
                WriteText(importer, c.Description, NpgsqlDbType.Text);
                importer.Write(c.Status, NpgsqlDbType.Smallint);
                importer.Write(c.Version, NpgsqlDbType.Integer);
                importer.Write(c.CreatedAt, NpgsqlDbType.TimestampTz);
                importer.Write(c.UpdatedAt, NpgsqlDbType.TimestampTz);
                WriteText(importer, c.Metadata, NpgsqlDbType.Jsonb);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_countingDatabase is not null)
        {
            await _countingDatabase.DisposeAsync();
        }

        foreach (var source in new[] { _dataSource, _countingDataSource })
        {
            if (source is not null)
            {
                await source.DisposeAsync();
            }
        }

        _wireCounter?.Dispose();
    }

    protected override async Task<RunEngineDatabase> ConnectAsync(CancellationToken cancellationToken)
    {
        _dataSource = NpgsqlDataSource.Create(_connectionString);
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken))
        {
            Version = connection.PostgreSqlVersion.ToString();
            await using var command = new NpgsqlCommand("SHOW server_version", connection);
            Version = (string?)await command.ExecuteScalarAsync(cancellationToken) ?? Version;
        }

        var builder = new NpgsqlConnectionStringBuilder(_connectionString);
        if (builder.Host is { } host && !host.StartsWith('/') && !host.Contains(',', StringComparison.Ordinal))
        {
            _wireCounter = new PgWireCounter(host, builder.Port);
            var relayed = new NpgsqlConnectionStringBuilder(_connectionString) { Host = "127.0.0.1", Port = _wireCounter.Port, SslMode = SslMode.Disable };
            _countingDataSource = NpgsqlDataSource.Create(relayed.ConnectionString);
            _countingDatabase = PostgreSqlDatabase.Create(relayed.ConnectionString, new PostgreSqlOptions { TablePrefix = TablePrefix });

            // Npgsql loads the server's types on a data source's first connection; do it now, outside any count.
            await using (var warm = await _countingDataSource.OpenConnectionAsync(cancellationToken))
            {
                await using var ping = new NpgsqlCommand("SELECT 1", warm);
                await ping.ExecuteScalarAsync(cancellationToken);
            }

        }

        return PostgreSqlDatabase.Create(_connectionString, new PostgreSqlOptions { TablePrefix = TablePrefix });
    }

    /// <summary>
    /// ANALYZE first: freshly written tables have no statistics, and autovacuum would gather them at a random moment
    /// during a timed run (changing its plans midway); a host's tables have them. Then the checkpoint.
    /// </summary>
    public override async Task SettleAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await DataSource.OpenConnectionAsync(cancellationToken))
        {
            await using var command = new NpgsqlCommand($"ANALYZE {StoriesTable}, {CardsTable}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await base.SettleAsync(cancellationToken);
    }

    // A checkpoint between runs keeps one run's dirty pages from being flushed during the next one's clock.
    protected override async Task AfterResetAsync(CancellationToken cancellationToken)
    {
        if (!_canCheckpoint)
        {
            return;
        }

        try
        {
            await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("CHECKPOINT", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException)
        {
            _canCheckpoint = false; // Not a superuser (or pg_checkpoint member): run without.
        }
    }

    private NpgsqlDataSource DataSource =>
        (Counting ? _countingDataSource : _dataSource) ?? throw new InvalidOperationException("Initialize the target first.");

    private static void WriteText(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, type);
        }
    }
}
