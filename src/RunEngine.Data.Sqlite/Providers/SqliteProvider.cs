using System.Data.Common;
using Microsoft.Data.Sqlite;
using RunEngine.Data.Bulk;
using RunEngine.Data.Providers;
using RunEngine.Data.Schema;
using RunEngine.Data.Sqlite.Bulk;
using RunEngine.Data.Sqlite.Schema;

namespace RunEngine.Data.Sqlite.Providers;

/// <summary>The SQLite provider: prepared-statement bulk writer, embedded scripts, constraint-code classification.</summary>
internal sealed class SqliteProvider : DatabaseProvider
{
    private readonly string _connectionString;
    private readonly SqliteOptions _options;

    public SqliteProvider(SqliteConnectionStringBuilder connectionString, SqliteOptions options)
        : base(options, SqliteDialect.Instance)
    {
        _connectionString = connectionString.ConnectionString;
        _options = options;
        IsInMemory = IsMemoryDatabase(connectionString);
        ClaimStories = BuildClaim(ClaimStatement);
        StatusChangeWriter = new SqliteStatusChanges(Runs, SqliteDialect.Instance, CommandTimeoutSeconds);
    }

    public override string Name => "SQLite";

    /// <summary>Whether every connection would open a new, private database, so one connection must be kept and shared.</summary>
    public bool IsInMemory { get; }

    /// <summary>
    /// One UPDATE ... RETURNING over the first claimable stories in position order. SQLite has no row locks to skip:
    /// the claim runs inside the caller's IMMEDIATE transaction, which holds the database's single write lock from
    /// BEGIN, so concurrent claims run one after the other (each waiting up to the busy timeout) and each sees the
    /// previous one's committed rows. Timestamps are UTC text of one fixed form, so <c>lease_expires_at &lt; now</c>
    /// compares instants, whichever clock writes now (see Scripts/002_claims_and_run_log.sql).
    /// </summary>
    public override string ClaimStories { get; }

    public override IBulkWriter BulkWriter => SqliteBulkWriter.Instance;

    public override RunEngine.Data.StatusChanges.IStatusChangeWriter StatusChangeWriter { get; }

    public override SchemaDefinition Schema => SqliteSchemaDefinition.Instance;

    public override ConnectionSource CreateConnectionSource()
    {
        var preparer = new SqliteConnectionPreparer(_options, isFile: !IsInMemory);
        return IsInMemory
            ? new SharedSqliteConnectionSource(_connectionString, preparer)
            : new PooledSqliteConnectionSource(_connectionString, preparer);
    }

    public override DbErrorKind Classify(Exception exception) => SqliteErrors.Classify(exception);

    protected override RunEngine.Data.Resilience.TransientDecision ReadTransient(Exception exception) => SqliteErrors.ReadTransient(exception);

    public override ConstraintViolation? DescribeViolation(Exception exception) => SqliteErrors.Describe(exception);

    /// <summary>
    /// Starts an IMMEDIATE transaction: it takes the database's write lock at BEGIN (waiting up to the busy timeout).
    /// A deferred transaction would take it at its first write, and two connections that both read first could then
    /// deadlock on the upgrade, one of them failing with SQLITE_BUSY whatever the timeout.
    /// </summary>
    public override ValueTask<DbTransaction> BeginTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var sqlite = connection as SqliteConnection
            ?? throw new ArgumentException("The SQLite provider needs a Microsoft.Data.Sqlite SqliteConnection.", nameof(connection));
        return ValueTask.FromResult<DbTransaction>(sqlite.BeginTransaction(deferred: false));
    }

    /// <summary>
    /// The claim as two ranges of the claim index (run_id, status, position), each read in position order and cut at
    /// @Max, then merged: with one <c>status = @Ready OR (...)</c> condition SQLite walks the run's stories in position
    /// order through the (run_id, position) index, passing every completed story on every claim.
    /// </summary>
    private string ClaimStatement(string now, string expires)
    {
        string Q(string name) => Dialect.Quote(name);
        var stories = Tables.Stories;
        string Candidates(string condition) =>
            $"SELECT {Q("id")}, {Q("position")} FROM (SELECT {Q("id")}, {Q("position")} FROM {stories} " +
            $"WHERE {Q("run_id")} = @RunId AND {condition} ORDER BY {Q("position")} LIMIT @Max)";
        return
            $"UPDATE {stories} SET {Q("status")} = @InProgress, {Q("claimed_by")} = @Worker, {Q("lease_expires_at")} = {expires}, " +
            $"{Q("updated_at")} = {now}, {Q("version")} = {Q("version")} + 1 " +
            $"WHERE {Q("run_id")} = @RunId AND {Q("id")} IN (SELECT {Q("id")} FROM (" +
            Candidates($"{Q("status")} = @Ready") +
            " UNION ALL " +
            Candidates($"{Q("status")} = @InProgress AND ({Q("lease_expires_at")} IS NULL OR {Q("lease_expires_at")} < {now})") +
            $") ORDER BY {Q("position")} LIMIT @Max) " +
            $"RETURNING {Stories.ColumnList}";
    }

    private static bool IsMemoryDatabase(SqliteConnectionStringBuilder builder)
    {
        var source = builder.DataSource;
        return builder.Mode == SqliteOpenMode.Memory
            || string.IsNullOrEmpty(source) // SQLite opens a private temporary database for an empty name.
            || source == ":memory:"
            || (source.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
                && (source.StartsWith("file::memory:", StringComparison.OrdinalIgnoreCase)
                    || source.Contains("mode=memory", StringComparison.OrdinalIgnoreCase)));
    }
}
