using System.Data.Common;
using Dapper;
using RunEngine.Data.Mapping;
using RunEngine.Data.Perf.Measurement;
using RunEngine.Data.Perf.Methods;
using RunEngine.Data.Perf.Peers;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Targets;

/// <summary>
/// One database under test: the library's <see cref="RunEngineDatabase"/> over it, the bench's own connections for the
/// hand-written methods, a fresh table set per run, its statement counter and its raw-limit path.
/// Tables use the prefix <c>bench_</c> so the bench never touches a host's real <c>re_</c> tables.
/// </summary>
internal abstract class BenchTarget : IAsyncDisposable
{
    public const string TablePrefix = "bench_";

    private RunEngineDatabase? _database;

    public abstract string Name { get; }

    /// <summary>The server (or engine) version, read from the database itself.</summary>
    public string Version { get; protected set; } = "unknown";

    /// <summary>The library, created exactly as a user creates it.</summary>
    public virtual RunEngineDatabase Database => _database ?? throw new InvalidOperationException("Initialize the target first.");

    public abstract IStatementCounter Counter { get; }

    /// <summary>Methods only this database has (SQL Server's table-valued parameter).</summary>
    public virtual IReadOnlyList<IInsertMethod> ExtraMethods => [];

    /// <summary>linq2db and EF Core mapped onto this database's bench tables, or null where the bench does not map them.</summary>
    public virtual PeerDatabase? Peers => null;

    public string StoriesTable => Database.Provider.Tables.Stories;

    public string CardsTable => Database.Provider.Tables.Cards;

    /// <summary>Rows per multi-row INSERT chosen on the command line (capped by the parameter limit); null for the default.</summary>
    public int? ChunkOverride { get; set; }

    /// <summary>Rows per multi-row INSERT for a table of <paramref name="columns"/> columns.</summary>
    public int MultiRowChunk(int columns) => Math.Min(ChunkOverride ?? DefaultChunk(columns), MaxParameters / columns);

    /// <summary>The most parameters one command may carry on this database.</summary>
    protected abstract int MaxParameters { get; }

    /// <summary>The default rows per multi-row INSERT.</summary>
    protected abstract int DefaultChunk(int columns);

    /// <summary>A short note on how the multi-row chunk size was chosen.</summary>
    public abstract string MultiRowNote { get; }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _database = await ConnectAsync(cancellationToken);

        // Start clean: a bench table left by an interrupted run (or an older library version) would break the scripts.
        await ResetAsync(cancellationToken);
    }

    /// <summary>Drops the bench tables and lets the library create them again, so every run starts from empty tables.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        var tables = Database.Provider.Tables;
        await using (var connection = await OpenAsync(cancellationToken))
        {
            // Children before parents: every table the library's schema scripts create.
            foreach (var table in new[] { tables.Cards, tables.RunLog, tables.Stories, tables.SchemaVersion })
            {
                await connection.ExecuteAsync(new CommandDefinition($"DROP TABLE IF EXISTS {table}", cancellationToken: cancellationToken));
            }

            await AfterDropAsync(connection, cancellationToken);
        }

        await Database.EnsureSchemaAsync(cancellationToken);
        await AfterResetAsync(cancellationToken);
    }

    /// <summary>Rows now in the bench tables (checked after each method, outside the timed region).</summary>
    public async Task<(long Stories, long Cards)> CountRowsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var stories = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {StoriesTable}", cancellationToken: cancellationToken));
        var cards = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {CardsTable}", cancellationToken: cancellationToken));
        return (stories, cards);
    }

    /// <summary>A new open connection of the bench's own (not the library's), counted while the counter runs.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>The hand-written fastest path over pre-built values, in one transaction.</summary>
    public abstract Task RawLimitAsync(PrebuiltRows rows, CancellationToken cancellationToken);

    /// <summary>The SQL expression that passes parameter <paramref name="parameter"/> into <paramref name="column"/>.</summary>
    public virtual string ParameterExpression<T>(ColumnMap<T> column, string parameter)
        where T : class => "@" + parameter;

    /// <summary>Converts a value for the bench's own parameters into what the library stores (by default unchanged).</summary>
    public virtual object ParameterValue(object? value) => value ?? DBNull.Value;

    /// <summary>Dapper's parameter object for one entity (by default the entity itself, as users pass it).</summary>
    public virtual object DapperParameters(Story story) => story;

    /// <inheritdoc cref="DapperParameters(Story)"/>
    public virtual object DapperParameters(Card card) => card;

    public virtual async ValueTask DisposeAsync()
    {
        Counter.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>
    /// The naive lifecycle method's claim, hand-written as a host writes it for this database: one auto-committed
    /// statement that takes up to <c>@Max</c> claimable stories of <c>@RunId</c> (<c>@Ready</c>, or <c>@InProgress</c>
    /// with an expired or no lease) in position order, skipping rows another claim holds where the database can, and
    /// sets them <c>@InProgress</c> for <c>@Worker</c> until <c>@Expires</c> (<c>updated_at = @Now</c>, version + 1).
    /// It returns each claimed story's <c>id</c> and new <c>version</c>, in that order.
    /// </summary>
    public abstract string NaiveClaimSql { get; }

    /// <summary>
    /// After untimed setup writes (the lifecycle workload's run): brings the database to the quiet point that
    /// <see cref="ResetAsync"/> ends with (PostgreSQL: a CHECKPOINT), so the setup's dirty pages are not flushed during
    /// the clock.
    /// </summary>
    public virtual Task SettleAsync(CancellationToken cancellationToken) => AfterResetAsync(cancellationToken);

    /// <summary>Called right before the counting run starts, to bring the counted connection pools into a steady state.</summary>
    public virtual Task PrepareCountingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected abstract Task<RunEngineDatabase> ConnectAsync(CancellationToken cancellationToken);

    protected virtual Task AfterDropAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task AfterResetAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
