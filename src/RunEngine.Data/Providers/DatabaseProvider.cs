using System.Data.Common;
using Microsoft.Extensions.Logging;
using RunEngine.Data.Bulk;
using RunEngine.Data.Diagnostics;
using RunEngine.Data.Mapping;
using RunEngine.Data.Schema;

namespace RunEngine.Data.Providers;

/// <summary>
/// One database dialect: its SQL texts, bulk protocol, schema scripts and error classification. Shared code asks the
/// provider; there are no provider branches anywhere else.
/// </summary>
internal abstract class DatabaseProvider
{
    private ProviderDiagnostics? _diagnostics;
    private Resilience.OperationRetry? _retry;

    /// <param name="options">The options.</param>
    /// <param name="dialect">The provider's SQL dialect.</param>
    /// <param name="singleRow">How the provider sends a single-row change and its log entry as one statement; null to send them as two in one transaction.</param>
    protected DatabaseProvider(RunEngineOptions options, SqlDialect dialect, SingleRowShape? singleRow = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Dialect = dialect;
        Tables = new TableNames(options, dialect);
        Stories = new TableStatements<Story>(RunEngineTables.Stories, Tables.Stories, dialect);
        Cards = new TableStatements<Card>(RunEngineTables.Cards, Tables.Cards, dialect);
        RunLog = new TableStatements<RunEvent>(RunEngineTables.RunLog, Tables.RunLog, dialect);
        Clock = options.LeaseClock == LeaseClock.Host ? LeaseClockSql.Host : dialect.DatabaseClock;
        Runs = new RunStatements(Tables, dialect, Clock);
        SingleRow = singleRow is null ? null : new SingleRowChanges(singleRow, Tables, dialect, Clock, Stories, Cards, Runs);
        RunScopedStatus = new RunScopedStatusStatements(Tables, dialect, Stories, Cards, singleRow);
        string Q(string name) => dialect.Quote(name);
        var cardColumns = string.Join(", ", RunEngineTables.Cards.Columns.Select(c => "c." + Q(c.Name)));
        // No index leads with story_id alone (the cards' natural key is (run_id, story_id, position)): the story's run,
        // read by its primary key, lets the natural key serve both the search and the order.
        CardsByStory =
            $"SELECT {Cards.ColumnList} FROM {Tables.Cards} WHERE {Q("run_id")} = (SELECT {Q("run_id")} FROM {Tables.Stories} WHERE {Q("id")} = @StoryId) " +
            $"AND {Q("story_id")} = @StoryId ORDER BY {Q("position")}, {Q("id")}";
        CardsByRunAndStory =
            $"SELECT {Cards.ColumnList} FROM {Tables.Cards} WHERE {Q("run_id")} = @RunId AND {Q("story_id")} = @StoryId ORDER BY {Q("position")}, {Q("id")}";
        // Joined on the run as well as the story: the composite key the foreign key uses, and on a database distributed
        // by run a join of colocated shards (a join on the story id alone would need repartitioning).
        CardsByRun =
            $"SELECT {cardColumns} FROM {Tables.Cards} c INNER JOIN {Tables.Stories} s ON s.{Q("run_id")} = c.{Q("run_id")} AND s.{Q("id")} = c.{Q("story_id")} " +
            $"WHERE c.{Q("run_id")} = @RunId ORDER BY s.{Q("position")}, s.{Q("id")}, c.{Q("position")}, c.{Q("id")}";
    }

    /// <summary>Cards of <c>@StoryId</c> ordered by position.</summary>
    public string CardsByStory { get; }

    /// <summary>
    /// Cards of <c>@StoryId</c> within the run <c>@RunId</c>, ordered by position: the cards' natural key
    /// (run_id, story_id, position) serves the search and the order; a story of another run has none.
    /// </summary>
    public string CardsByRunAndStory { get; }

    /// <summary>Cards of <c>@RunId</c> in story order, then card order.</summary>
    public string CardsByRun { get; }

    /// <summary>A display name ("SQL Server", "PostgreSQL", "SQLite").</summary>
    public abstract string Name { get; }

    /// <summary>
    /// OpenTelemetry's <c>db.system.name</c> of the database. Default: <see cref="Name"/> in lower case, which is the
    /// convention's value for PostgreSQL and SQLite; SQL Server overrides it.
    /// </summary>
    public virtual string DbSystemName => Name.ToLowerInvariant();

    /// <summary>The logger and telemetry tags of this database (created on first use: it reads virtual members).</summary>
    public ProviderDiagnostics Diagnostics => _diagnostics ??= new ProviderDiagnostics(
        Options.LoggerFactory.CreateLogger(RunEngineTelemetry.LoggerCategory), DbSystemName, Tables.Schema);

    /// <summary>The options the database was created with.</summary>
    public RunEngineOptions Options { get; }

    /// <summary>
    /// Runs every repository operation's body (see <see cref="Resilience.OperationRetry"/>): the retry of transient
    /// faults on the library's own connections, built once from <see cref="RunEngineOptions.Retry"/> and
    /// <see cref="RunEngineOptions.RetryPipeline"/>.
    /// </summary>
    /// <remarks>Settable for tests, which put an engine of their own in (for example one that simulates a lost commit reply).</remarks>
    public Resilience.OperationRetry Retry
    {
        get => _retry ??= new Resilience.OperationRetry(Options.Retry, Options.RetryPipeline, Diagnostics, TransientReason);
        internal set => _retry = value;
    }

    /// <summary>
    /// Why <paramref name="exception"/> is a transient error (a low-cardinality code: <c>sqlserver:1205</c>,
    /// <c>sqlstate:40P01</c>, <c>sqlite:5</c>, <c>io</c>), or null when it is not. The shared rules
    /// (<see cref="Resilience.TransientErrors"/>), after the provider's typed reading (<see cref="ReadTransient"/>); both
    /// give the same answers as <see cref="RunEngineDatabase.IsTransient"/>.
    /// </summary>
    public string? TransientReason(Exception exception) => Resilience.TransientErrors.Reason(exception, ReadTransient);

    /// <summary>
    /// The provider's typed reading of one exception of a chain, asked before the shared rules; default undecided.
    /// A provider overrides it to read its driver's exception by type rather than through <see cref="DbException"/>.
    /// </summary>
    protected virtual Resilience.TransientDecision ReadTransient(Exception exception) => Resilience.TransientDecision.Undecided;

    /// <summary>Quoting and limits.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>The qualified names of the library's tables.</summary>
    public TableNames Tables { get; }

    /// <summary>Statements of the stories table.</summary>
    public TableStatements<Story> Stories { get; }

    /// <summary>Statements of the cards table.</summary>
    public TableStatements<Card> Cards { get; }

    /// <summary>Statements of the run log table.</summary>
    public TableStatements<RunEvent> RunLog { get; }

    /// <summary>The clock of the lease statements (<see cref="RunEngineOptions.LeaseClock"/>).</summary>
    public LeaseClockSql Clock { get; }

    /// <summary>Log entries, lease transitions and progress.</summary>
    public RunStatements Runs { get; }

    /// <summary>
    /// The single-row changes with their log entry as one statement each, sent in one round trip (in autocommit when
    /// the library owns the connection); null when the provider sends the UPDATE and the log INSERT in one transaction.
    /// </summary>
    public SingleRowChanges? SingleRow { get; }

    /// <summary>The statements of the run-scoped status changes (the overloads with a leading run id).</summary>
    public RunScopedStatusStatements RunScopedStatus { get; }

    /// <summary>
    /// Claims up to <c>@Max</c> stories of <c>@RunId</c> that are <c>@Ready</c>, or <c>@InProgress</c> with a lease that
    /// expired before now, in position order, using the database's non-blocking row locking (rows locked by
    /// another claim are skipped, never waited for). Each claimed row gets status <c>@InProgress</c>,
    /// <c>claimed_by = @Worker</c>, <c>lease_expires_at</c> = now + lease, <c>updated_at</c> = now and version + 1, and
    /// the statement returns the claimed rows' columns in table-map order (any row order). "Now" and "now + lease"
    /// are <see cref="Clock"/>'s texts, built with <see cref="BuildClaim"/>.
    /// </summary>
    public abstract string ClaimStories { get; }

    /// <summary>
    /// <see cref="ClaimStories"/> and its <c>story.claimed</c> run-log entries as one statement (atomic by itself, so it
    /// runs in autocommit on a connection of the library's own), or null when the provider writes the entries after the
    /// claim in the same transaction. Parameters as for <see cref="ClaimStories"/> plus <c>@EventIds</c> (the entries'
    /// ids, at least <c>@Max</c> of them, given in order to the claimed rows in position and id order), <c>@Kind</c>
    /// and <c>@Worker</c>; each entry's time is the row's stored updated_at and its message "lease until" the stored
    /// expiry in the round-trip format, as the two-statement form writes them.
    /// </summary>
    public virtual string? ClaimStoriesLogged => null;

    /// <summary>
    /// A claim statement from <paramref name="build"/>, which writes it with the given texts of "now" and "now + lease"
    /// (<see cref="Clock"/>'s), after the clock's prologue.
    /// </summary>
    protected string BuildClaim(Func<string, string, string> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return Clock.Prologue(expires: true) + build(Clock.Now, Clock.Expires);
    }

    /// <summary>
    /// Whether an id is unique within its run only (primary keys <c>(run_id, id)</c>: PostgreSQL distributed by run), so
    /// the look-ups that explain a rejected id search the row's run (one shard), and an id stored under another run is
    /// no conflict. Default false: an id is unique in its table, and the look-up must find it whatever its run.
    /// </summary>
    public virtual bool IdsUniquePerRun => false;

    /// <summary>The provider's bulk protocol.</summary>
    public abstract IBulkWriter BulkWriter { get; }

    /// <summary>The provider's set-based status changes (its staging SQL for updates).</summary>
    public abstract StatusChanges.IStatusChangeWriter StatusChangeWriter { get; }

    /// <summary>How a batch of lease transitions is applied (<see cref="Providers.LeaseBatch"/>: one prepared statement per claim unless the provider overrides it).</summary>
    public virtual LeaseBatch LeaseBatch { get; } = new();

    /// <summary>The provider's schema scripts and migration hooks.</summary>
    public abstract SchemaDefinition Schema { get; }

    /// <summary>Creates the source of connections for a database built from these options.</summary>
    public abstract ConnectionSource CreateConnectionSource();

    /// <summary>Classifies a provider exception.</summary>
    public abstract DbErrorKind Classify(Exception exception);

    /// <summary>
    /// Reads what a unique or foreign-key error says about the offending key (which key, its values, the row's
    /// position); null for any other error.
    /// </summary>
    public abstract ConstraintViolation? DescribeViolation(Exception exception);

    /// <summary>
    /// A new connection on which to explain <paramref name="error"/>, a bulk write's failure in the operation's own
    /// transaction that also cost the operation its connection, when the provider knows the error to be a key error
    /// in disguise (Citus re-raises a shard's key error from a COPY as <c>XX000</c>, and the driver may close the
    /// connection after it). The transaction is rolled back by then, so the explanation's look-ups see the database
    /// without the batch. Null by default: the original error stands. The caller disposes the connection.
    /// </summary>
    public virtual ValueTask<DbConnection?> OpenExplanationConnectionAsync(Exception error, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbConnection?>(null);

    /// <summary>Command timeout in seconds for statements (0 = no limit).</summary>
    public int CommandTimeoutSeconds => (int)Math.Ceiling(Options.CommandTimeout.TotalSeconds);

    /// <summary>Returns the statements of the table mapped by <paramref name="map"/>.</summary>
    public TableStatements<T> StatementsFor<T>(TableMap<T> map)
        where T : class
    {
        if (ReferenceEquals(map, Stories.Map))
        {
            return (TableStatements<T>)(object)Stories;
        }

        if (ReferenceEquals(map, Cards.Map))
        {
            return (TableStatements<T>)(object)Cards;
        }

        if (ReferenceEquals(map, RunLog.Map))
        {
            return (TableStatements<T>)(object)RunLog;
        }

        throw new ArgumentException($"No statements for table {map.TableSuffix}.", nameof(map));
    }

    /// <summary>Begins a transaction on an open connection.</summary>
    public virtual async ValueTask<DbTransaction> BeginTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
}
