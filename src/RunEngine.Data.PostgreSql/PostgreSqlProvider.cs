using Npgsql;
using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;
using RunEngine.Data.PostgreSql.Bulk;
using RunEngine.Data.PostgreSql.Schema;
using RunEngine.Data.Providers;
using RunEngine.Data.Schema;

namespace RunEngine.Data.PostgreSql;

/// <summary>The PostgreSQL provider: binary COPY for bulk inserts, advisory-locked migrations, SQLSTATE classification.</summary>
internal sealed partial class PostgreSqlProvider : DatabaseProvider
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly NpgsqlDataSource? _sessions;

    /// <param name="options">The options.</param>
    /// <param name="dataSource">The data source of the library's operations.</param>
    /// <param name="ownsDataSource">Whether the library built the data sources (and disposes them).</param>
    /// <param name="sessions">The data source of sessions when it differs (see <see cref="PostgreSqlConnectionSource"/>).</param>
    public PostgreSqlProvider(PostgreSqlOptions options, NpgsqlDataSource dataSource, bool ownsDataSource, NpgsqlDataSource? sessions = null)
        : base(options, PostgreSqlDialect.Instance, PostgreSqlSingleRowShape.Instance)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _sessions = sessions;
        Distribution = options.Distribution;
        BulkWriter = new PostgreSqlBulkWriter(PostgreSqlDialect.Instance, options.TimeProvider, Tables.Stories, IsDistributed);
        Schema = new PostgreSqlSchemaDefinition(Tables, options.Distribution, options.WithoutCitusExtension);
        ClaimStories = BuildClaim((now, expires) => ClaimStatement(Tables.Stories, PostgreSqlDialect.Instance, now, expires));
        ClaimStoriesLogged = BuildClaim((now, expires) => LoggedClaimStatement(Tables.Stories, Tables.RunLog, PostgreSqlDialect.Instance, now, expires));
        StatusChangeWriter = new PostgreSqlStatusChanges(Tables, PostgreSqlDialect.Instance, CommandTimeoutSeconds, options.TimeProvider, IsDistributed);
        PostgreSqlLeaseBatch = new PostgreSqlLeaseBatch(Tables, Clock, IsDistributed);
    }

    public override string Name => "PostgreSQL";

    /// <summary>The configured layout (<see cref="PostgreSqlOptions.Distribution"/>).</summary>
    public PostgreSqlDistribution Distribution { get; }

    /// <summary>Whether the tables are distributed by run (Citus).</summary>
    public bool IsDistributed => Distribution != PostgreSqlDistribution.None;

    /// <summary>Distributed by run, the primary keys are (run_id, id): an id is unique within its run.</summary>
    public override bool IdsUniquePerRun => IsDistributed;

    public override string ClaimStories { get; }

    /// <summary>The claim and its log entries as one data-modifying CTE (<see cref="LoggedClaimStatement"/>).</summary>
    public override string? ClaimStoriesLogged { get; }

    public override IBulkWriter BulkWriter { get; }

    public override StatusChanges.IStatusChangeWriter StatusChangeWriter { get; }

    /// <summary>One locking SELECT and one <c>UPDATE … FROM unnest(…)</c> per batch (<see cref="PostgreSql.PostgreSqlLeaseBatch"/>).</summary>
    public override LeaseBatch LeaseBatch => PostgreSqlLeaseBatch;

    /// <summary>The batch lease transitions, typed, for the statement tests.</summary>
    public PostgreSqlLeaseBatch PostgreSqlLeaseBatch { get; }

    public override SchemaDefinition Schema { get; }

    public override ConnectionSource CreateConnectionSource() => new PostgreSqlConnectionSource(_dataSource, _ownsDataSource, _sessions);

    public override DbErrorKind Classify(Exception exception) => PostgreSqlErrors.Classify(exception, IsDistributed);

    protected override RunEngine.Data.Resilience.TransientDecision ReadTransient(Exception exception) => PostgreSqlErrors.ReadTransient(exception);

    /// <summary>
    /// On a distributed database, a new connection to explain Citus's re-raise (<c>XX000</c>) of a shard's key error
    /// from a COPY in the operation's own transaction, which Npgsql may have ended the connection with.
    /// </summary>
    public override async ValueTask<System.Data.Common.DbConnection?> OpenExplanationConnectionAsync(Exception error, CancellationToken cancellationToken) =>
        IsDistributed && PostgreSqlErrors.IsReRaised(error) ? await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false) : null;

    public override ConstraintViolation? DescribeViolation(Exception exception) => PostgreSqlErrors.Describe(exception, Tables.Prefix, IsDistributed);

    /// <summary>
    /// The claim: the inner SELECT picks and locks the run's claimable stories in position order, skipping rows another
    /// claim has locked (FOR UPDATE SKIP LOCKED never waits); the outer UPDATE takes them over, by id within the run (so
    /// on a database distributed by run both go to the run's shard alone; the id's index finds the row). Under READ COMMITTED,
    /// a row changed by a claim that committed meanwhile is re-checked against the WHERE after it is locked, so a
    /// story never goes to two workers.
    /// </summary>
    private static string ClaimStatement(string stories, PostgreSqlDialect dialect, string now, string expires)
    {
        string Q(string name) => dialect.Quote(name);
        var returned = string.Join(", ", RunEngineTables.Stories.Columns.Select(c => "s." + Q(c.Name)));
        return
            $"UPDATE {stories} AS s SET {Q("status")} = @InProgress, {Q("claimed_by")} = @Worker, {Q("lease_expires_at")} = {expires}, " +
            $"{Q("updated_at")} = {now}, {Q("version")} = s.{Q("version")} + 1 " +
            $"FROM (SELECT {Q("id")} FROM {stories} WHERE {Q("run_id")} = @RunId " +
            $"AND ({Q("status")} = @Ready OR ({Q("status")} = @InProgress AND ({Q("lease_expires_at")} IS NULL OR {Q("lease_expires_at")} < {now}))) " +
            $"ORDER BY {Q("position")} LIMIT @Max FOR UPDATE SKIP LOCKED) AS c " +
            $"WHERE s.{Q("run_id")} = @RunId AND s.{Q("id")} = c.{Q("id")} RETURNING {returned}";
    }

    /// <summary>
    /// <see cref="ClaimStatement"/>'s pick and update, and the <c>story.claimed</c> entries of the rows it claimed, as one
    /// statement: <c>WITH picked AS (SELECT … FOR UPDATE SKIP LOCKED), claimed AS (UPDATE … RETURNING …), logged AS
    /// (INSERT INTO run_log … SELECT … FROM claimed) SELECT … FROM claimed</c>. The pick, its locks and the lease clock
    /// are the same text as the two-statement form's. The INSERT sees exactly the rows the UPDATE changed; it gives them
    /// the host's time-ordered ids <c>@EventIds</c> and writes them in position and id order (the log's seq order).
    /// </summary>
    private static string LoggedClaimStatement(string stories, string runLog, PostgreSqlDialect dialect, string now, string expires)
    {
        string Q(string name) => dialect.Quote(name);
        string C(string name) => Q("claimed") + "." + Q(name);
        var returned = string.Join(", ", RunEngineTables.Stories.Columns.Select(c => C(c.Name)));
        var logColumns = string.Join(", ", RunEngineTables.RunLog.Columns.Select(c => Q(c.Name)));
        var message = PostgreSqlSingleRowShape.Instance.LeaseUntilMessage(C("lease_expires_at"));
        return
            $"WITH {Q("picked")} AS (SELECT {Q("id")} FROM {stories} WHERE {Q("run_id")} = @RunId " +
            $"AND ({Q("status")} = @Ready OR ({Q("status")} = @InProgress AND ({Q("lease_expires_at")} IS NULL OR {Q("lease_expires_at")} < {now}))) " +
            $"ORDER BY {Q("position")} LIMIT @Max FOR UPDATE SKIP LOCKED), " +
            $"{Q("claimed")} AS (UPDATE {stories} AS s SET {Q("status")} = @InProgress, {Q("claimed_by")} = @Worker, {Q("lease_expires_at")} = {expires}, " +
            $"{Q("updated_at")} = {now}, {Q("version")} = s.{Q("version")} + 1 " +
            $"FROM {Q("picked")} AS p WHERE s.{Q("run_id")} = @RunId AND s.{Q("id")} = p.{Q("id")} RETURNING s.*), " +
            $"{Q("logged")} AS (INSERT INTO {runLog} ({logColumns}) " +
            $"SELECT (@EventIds::uuid[])[row_number() OVER (ORDER BY {C("position")}, {C("id")})], {C("run_id")}, {C("id")}, NULL::uuid, @Kind, {message}, @Worker, {C("updated_at")} " +
            $"FROM {Q("claimed")} ORDER BY {C("position")}, {C("id")}) " +
            $"SELECT {returned} FROM {Q("claimed")}";
    }
}
