using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using RunEngine.Data.Mapping;
using RunEngine.Data.Perf.Measurement;
using RunEngine.Data.Perf.Methods;
using RunEngine.Data.Perf.Workload;
using RunEngine.Data.SqlServer;

namespace RunEngine.Data.Perf.Targets.SqlServer;

/// <summary>
/// SQL Server: the library with its defaults (SmallBatchThreshold 50, CheckConstraints on); raw-limit is SqlBulkCopy
/// from a minimal reader with the same CheckConstraints option; plus a table-valued-parameter insert, whose table types
/// the bench creates for itself (never in the library's schema) and drops afterwards.
/// </summary>
internal sealed class SqlServerTarget : BenchTarget
{
    private readonly string _connectionString;
    private readonly SqlClientCommandCounter _counter = new();
    private readonly int? _smallBatchThreshold;

    public SqlServerTarget(string connectionString, int? smallBatchThreshold)
    {
        _connectionString = connectionString;
        _smallBatchThreshold = smallBatchThreshold;
    }

    public override string Name => "SQL Server";

    public override IStatementCounter Counter => _counter;

    public override IReadOnlyList<IInsertMethod> ExtraMethods => [new TvpMethod()];

    // At most 2,100 parameters per command (2,099 usable): 190 card rows, 209 story rows.
    protected override int MaxParameters => 2_099;

    protected override int DefaultChunk(int columns) => 2_099 / columns;

    public override string MultiRowNote => "as many rows as 2,099 parameters allow (190 cards, 209 stories per statement)";

    public string StoryType => Database.Provider.Dialect.Qualify(Database.Provider.Tables.Schema, TablePrefix + "story_rows");

    public string CardType => Database.Provider.Dialect.Qualify(Database.Provider.Tables.Schema, TablePrefix + "card_rows");

    // SQL Server's queue pattern as hosts write it: UPDLOCK + READPAST skips rows another claim holds. With the OR the
    // pick may read (and lock, until its statement ends) more than @Max rows; a worker that then finds only locked rows
    // stops, as with any empty claim (the library's claim avoids this with two ordered picks: SqlServerClaimStatement).
    public override string NaiveClaimSql =>
        $"WITH pick AS (SELECT TOP (@Max) id FROM {StoriesTable} WITH (UPDLOCK, READPAST, ROWLOCK) WHERE run_id = @RunId " +
        "AND (status = @Ready OR (status = @InProgress AND (lease_expires_at IS NULL OR lease_expires_at < @Now))) ORDER BY position) " +
        "UPDATE s SET status = @InProgress, claimed_by = @Worker, lease_expires_at = @Expires, updated_at = @Now, version = s.version + 1 " +
        $"OUTPUT inserted.id, inserted.version FROM {StoriesTable} AS s INNER JOIN pick AS p ON p.id = s.id;";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public override async Task RawLimitAsync(PrebuiltRows rows, CancellationToken cancellationToken)
    {
        HandWrittenColumns.Check(RunEngineTables.Stories);
        HandWrittenColumns.Check(RunEngineTables.Cards);
        await using var connection = (SqlConnection)await OpenAsync(cancellationToken);
        await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var stories = new RowArrayReader<StoryRow>(rows.Stories, Names(RunEngineTables.Stories), Types(RunEngineTables.Stories), static (s, i) => i switch
        {
            0 => s.Id, 1 => s.RunId, 2 => s.Position, 3 => s.Title, 4 => s.Body, 5 => s.Status, 6 => s.Version,
            7 => s.CreatedAt, 8 => s.UpdatedAt, 9 => s.Metadata, 10 => s.ClaimedBy, _ => s.LeaseExpiresAt,
        });
        await CopyAsync(connection, transaction, StoriesTable, stories, cancellationToken);
        var cards = new RowArrayReader<CardRow>(rows.Cards, Names(RunEngineTables.Cards), Types(RunEngineTables.Cards), static (c, i) => i switch
        {
            0 => c.Id, 1 => c.RunId, 2 => c.StoryId, 3 => c.Position, 4 => c.Title, 5 => c.Description, 6 => c.Status,
            7 => c.Version, 8 => c.CreatedAt, 9 => c.UpdatedAt, _ => c.Metadata,
        });
        await CopyAsync(connection, transaction, CardsTable, cards, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    protected override async Task<RunEngineDatabase> ConnectAsync(CancellationToken cancellationToken)
    {
        await using (var connection = (SqlConnection)await OpenAsync(cancellationToken))
        {
            Version = connection.ServerVersion;
        }

        var options = new SqlServerOptions { TablePrefix = TablePrefix };
        if (_smallBatchThreshold is { } threshold)
        {
            options.SmallBatchThreshold = threshold;
        }

        var database = SqlServerDatabase.Create(_connectionString, options);
        await using (var connection = (SqlConnection)await OpenAsync(cancellationToken))
        {
            await CreateTypeAsync(connection, database, "story_rows", RunEngineTables.Stories, cancellationToken);
            await CreateTypeAsync(connection, database, "card_rows", RunEngineTables.Cards, cancellationToken);
        }

        return database;
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            // The table types are the bench's own: drop them with the tables, best effort.
            await using var connection = (SqlConnection)await OpenAsync(CancellationToken.None);
            var tables = Database.Provider.Tables;
            await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The library's validated, quoted names.
            command.CommandText = $"DROP TABLE IF EXISTS {tables.Cards}; DROP TABLE IF EXISTS {tables.RunLog}; DROP TABLE IF EXISTS {tables.Stories}; DROP TABLE IF EXISTS {tables.SchemaVersion}; " +
                $"DROP TYPE IF EXISTS {CardType}; DROP TYPE IF EXISTS {StoryType};";
#pragma warning restore CA2100
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is SqlException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"SQL Server: could not drop the bench's tables and types ({ex.GetType().Name}).");
        }

        await base.DisposeAsync();
    }

    private static async Task CreateTypeAsync<T>(SqlConnection connection, RunEngineDatabase database, string suffix, TableMap<T> map, CancellationToken cancellationToken)
        where T : class
    {
        var tables = database.Provider.Tables;
        var dialect = database.Provider.Dialect;
        var name = dialect.Qualify(tables.Schema, TablePrefix + suffix);
        var columns = string.Join(", ", map.Columns.Select(c => $"{dialect.Quote(c.Name)} {TvpMethod.SqlType(c)} {(c.Nullable ? "NULL" : "NOT NULL")}"));
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Names are the library's validated identifiers, quoted by its dialect.
        command.CommandText = $"IF TYPE_ID(N'{tables.Schema}.{TablePrefix}{suffix}') IS NULL EXEC(N'CREATE TYPE {name.Replace("'", "''", StringComparison.Ordinal)} AS TABLE ({columns})')";
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task CopyAsync(SqlConnection connection, SqlTransaction transaction, string table, DbDataReader reader, CancellationToken cancellationToken)
    {
        using var copy = new SqlBulkCopy(connection, SqlBulkCopyOptions.CheckConstraints, transaction)
        {
            DestinationTableName = table,
            EnableStreaming = true,
            BulkCopyTimeout = 0,
        };
        for (var i = 0; i < reader.FieldCount; i++)
        {
            copy.ColumnMappings.Add(reader.GetName(i), reader.GetName(i));
        }

        await copy.WriteToServerAsync(reader, cancellationToken);
    }

    private static string[] Names<T>(TableMap<T> map)
        where T : class => map.Columns.Select(c => c.Name).ToArray();

    private static Type[] Types<T>(TableMap<T> map)
        where T : class => map.Columns.Select(c => Nullable.GetUnderlyingType(c.ClrType) ?? c.ClrType).ToArray();
}
