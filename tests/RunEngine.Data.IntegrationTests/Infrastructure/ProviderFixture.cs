using System.Data.Common;

namespace RunEngine.Data.IntegrationTests.Infrastructure;

/// <summary>
/// One isolated database (or schema) of one provider for one test class. Subclasses create it in
/// <see cref="InitializeAsync"/> (with the library's schema applied) and drop it in <see cref="DisposeAsync"/>.
/// When the provider's server is not configured, <see cref="SkipReason"/> says why and tests skip — except
/// PostgreSQL under CI=true, whose fixture fails instead.
/// </summary>
public abstract class ProviderFixture : IAsyncLifetime
{
    private RunEngineDatabase? _database;

    /// <summary>"SQLite", "PostgreSQL", "SQL Server".</summary>
    public abstract string ProviderName { get; }

    /// <summary>Null when the provider is available; otherwise why its tests are skipped.</summary>
    public string? SkipReason { get; protected set; }

    /// <summary>The clock of <see cref="Database"/>: tests move it to check timestamps and leases.</summary>
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time { get; } =
        new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    /// <summary>The database under test, with the schema applied, using <see cref="Time"/>.</summary>
    public RunEngineDatabase Database => _database ?? throw new InvalidOperationException(SkipReason ?? "Fixture not initialized.");

    /// <summary>
    /// Whether several database objects from <see cref="CreateDatabase"/> may work on the isolated database at the same
    /// time, like separate host processes. Default true; an in-memory SQLite database says no (see its fixture).
    /// </summary>
    public virtual bool SupportsConcurrentDatabaseObjects => true;

    /// <summary>
    /// Whether the library's tables are keyed by <c>(run_id, id)</c> (PostgreSQL's distributed layout: the Citus and the
    /// run-keyed fixtures) instead of <c>(id)</c>: ids are then unique per run, and each table has a non-unique index on
    /// <c>(id)</c>. Default false.
    /// </summary>
    public virtual bool KeysCarryRun => false;

    /// <summary>Creates another database object over the same isolated database, with changed options (prefix, schema...).</summary>
    public abstract RunEngineDatabase CreateDatabase(Action<RunEngineOptions>? configure = null);

    /// <summary>
    /// A database object over the same isolated database made the way the README tells a user to: the provider's
    /// <c>Create(connectionString)</c>, with whatever that factory adds to the connection string (PostgreSQL: Include
    /// Error Detail). The default is <see cref="Database"/>, for fixtures whose database is already made that way.
    /// </summary>
    public virtual RunEngineDatabase CreateDatabaseFromConnectionString() => Database;

    /// <summary>Opens a raw connection to the same isolated database (for Join tests and direct assertions).</summary>
    /// <summary>
    /// The provider's DDL that makes every insert into the run log <paramref name="runLog"/> (of table prefix
    /// <paramref name="prefix"/>) fail, and the DDL that undoes it: a test's way to make a change's log entry fail.
    /// </summary>
    public abstract (string Reject, string Restore) RejectRunLogInsertsSql(string runLog, string prefix);

    public abstract Task<DbConnection> OpenConnectionAsync();

    /// <summary>
    /// Begins another transaction on a raw connection that holds a lock on row <paramref name="id"/> of
    /// <paramref name="qualifiedTable"/>, so that a writer of that row waits for it inside its statements (under their
    /// timeouts). The default updates the row without changing it, which takes the row's write lock on a server database.
    /// </summary>
    public virtual async Task<RowLock> HoldRowLockAsync(string qualifiedTable, Guid id)
    {
        var connection = await OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;

        // An upper-case text literal: compared as uuid / uniqueidentifier by the servers, equal to SQLite's stored text.
        command.CommandText = $"UPDATE {qualifiedTable} SET version = version WHERE id = '{id.ToString().ToUpperInvariant()}'";
        var rows = await command.ExecuteNonQueryAsync();
        if (rows != 1)
        {
            throw new InvalidOperationException($"The lock holder matched {rows} rows of {qualifiedTable}, not 1.");
        }

        return new RowLock(connection, transaction);
    }

    /// <summary>
    /// Null when a lock held by <see cref="HoldRowLockAsync"/> is waited for inside a write's statements, where the
    /// write's own timeout applies; otherwise why it is not (tests of that timeout skip with it).
    /// </summary>
    public virtual string? NoLockWaitInStatementsReason => null;

    /// <summary>
    /// Whether <paramref name="exception"/> is the error this provider gives when the timeout of a write's statements runs
    /// out — what a bulk insert whose <see cref="BulkInsertOptions.Timeout"/> passes throws. The default: a
    /// <see cref="TimeoutException"/>, or a driver exception wrapping one (Npgsql).
    /// </summary>
    public virtual bool IsTimeout(Exception exception) => exception is TimeoutException || exception.InnerException is TimeoutException;

    /// <summary>Columns of one of the library's tables (unprefixed name: "stories", "cards"), in table order.</summary>
    public abstract Task<IReadOnlyList<DbColumnInfo>> GetColumnsAsync(string table, string prefix = "re_");

    /// <summary>Creates the isolated database and applies the schema; sets <see cref="SkipReason"/> when unavailable.</summary>
    public abstract Task InitializeAsync();

    /// <summary>Drops the isolated database.</summary>
    public abstract Task DisposeAsync();

    /// <summary>Subclasses call this once the isolated database exists.</summary>
    protected async Task UseDatabaseAsync(RunEngineDatabase database)
    {
        _database = database;
        await database.EnsureSchemaAsync();
    }

    /// <summary>Skips the calling test when the provider is unavailable.</summary>
    public void SkipIfUnavailable() => Skip.If(SkipReason is not null, SkipReason);
}
