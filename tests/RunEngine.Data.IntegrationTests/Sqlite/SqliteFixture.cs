using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Sqlite;

namespace RunEngine.Data.IntegrationTests.Sqlite;

/// <summary>An SQLite database of its own for one test class; always available.</summary>
public abstract partial class SqliteFixture : ProviderFixture
{
    /// <inheritdoc/>
    public override string ProviderName => "SQLite";

    /// <summary>The connection string the library is given.</summary>
    public abstract string ConnectionString { get; }

    /// <inheritdoc/>
    public override RunEngineDatabase CreateDatabase(Action<RunEngineOptions>? configure = null) =>
        SqliteDatabase.Create(ConnectionString, Options(configure));

    /// <summary>The fixture's options (its fake clock), changed by <paramref name="configure"/>.</summary>
    public SqliteOptions Options(Action<RunEngineOptions>? configure = null)
    {
        // The host clock, explicitly: the contract suite expires leases by moving the fake clock (LeaseClockContract tests the default).
        var options = new SqliteOptions { TimeProvider = Time, LeaseClock = LeaseClock.Host };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A trigger that aborts every insert (SQLite cannot add a constraint to a table; the trigger's table is unqualified).</summary>
    public override (string Reject, string Restore) RejectRunLogInsertsSql(string runLog, string prefix) => (
        $"CREATE TRIGGER re_test_reject_log BEFORE INSERT ON \"{prefix}run_log\" BEGIN SELECT RAISE(ABORT, 'rejected by the test'); END",
        "DROP TRIGGER re_test_reject_log");

    /// <summary>
    /// A raw connection as a host application would open it: foreign keys on (SQLite's default is off, and a joined
    /// connection without them would accept orphan cards), not pooled so that the file can be deleted afterwards.
    /// </summary>
    public override async Task<DbConnection> OpenConnectionAsync()
    {
        var builder = new SqliteConnectionStringBuilder(ConnectionString) { ForeignKeys = true, Pooling = false };
        var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>
    /// PRAGMA table_info for names, types and nullability. SQLite ignores lengths in type names, so the scripts
    /// enforce limits with <c>CHECK (length(column) &lt;= n)</c>; the limit reported here is read from those checks.
    /// </summary>
    public override async Task<IReadOnlyList<DbColumnInfo>> GetColumnsAsync(string table, string prefix = "re_")
    {
        var name = prefix + table;
        await using var connection = await OpenConnectionAsync();
        await using var command = (SqliteCommand)connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = @name";
        command.Parameters.AddWithValue("@name", name);
        var ddl = (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No table {name}.");
        var limits = LengthCheck().Matches(ddl).ToDictionary(
            m => m.Groups["column"].Value, m => int.Parse(m.Groups["limit"].Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);

        command.Parameters.Clear();
        command.CommandText = $"SELECT name, type, \"notnull\" FROM pragma_table_info(@name) ORDER BY cid";
        command.Parameters.AddWithValue("@name", name);
        var columns = new List<DbColumnInfo>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var column = reader.GetString(0);
            columns.Add(new DbColumnInfo(
                column, reader.GetString(1).ToLowerInvariant(), limits.TryGetValue(column, out var limit) ? limit : null, reader.GetInt64(2) == 0));
        }

        return columns;
    }

    /// <summary>
    /// SQLite's write lock is the whole database's, taken at BEGIN IMMEDIATE (waiting under the busy timeout and the
    /// connection's default timeout) before any statement of a write runs; once it is held no statement waits for a
    /// lock (in WAL mode no reader blocks a writer; a shared-cache reader blocks the BEGIN itself). So no write's own
    /// timeout, a bulk insert's or a status change's, can run out on a lock.
    /// </summary>
    public override string? NoLockWaitInStatementsReason =>
        "SQLite takes its write lock at BEGIN IMMEDIATE, under the busy timeout; no statement of a write waits for a lock";

    /// <summary>
    /// SQLite's timeout error: Microsoft.Data.Sqlite retries a busy (5) or locked (6) statement until its command
    /// timeout, then throws that error, as it does for a bulk insert's prepared statement.
    /// </summary>
    public override bool IsTimeout(Exception exception) => exception is SqliteException { SqliteErrorCode: var code } && (code & 0xFF) is 5 or 6;

    /// <inheritdoc/>
    public override async Task InitializeAsync() => await UseDatabaseAsync(CreateDatabase());

    /// <inheritdoc/>
    public override async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        await DeleteAsync();
    }

    /// <summary>Removes what the database left behind (files).</summary>
    protected abstract Task DeleteAsync();

    [GeneratedRegex("""CHECK\s*\(\s*length\(\s*"?(?<column>\w+)"?\s*\)\s*<=\s*(?<limit>\d+)\s*\)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LengthCheck();
}
