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
    // SQLITE_CONSTRAINT and its extended codes (https://sqlite.org/rescode.html).
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintForeignKey = 787;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    private readonly string _connectionString;
    private readonly SqliteOptions _options;

    public SqliteProvider(SqliteConnectionStringBuilder connectionString, SqliteOptions options)
        : base(options, SqliteDialect.Instance)
    {
        _connectionString = connectionString.ConnectionString;
        _options = options;
        IsInMemory = IsMemoryDatabase(connectionString);
    }

    public override string Name => "SQLite";

    /// <summary>Whether every connection would open a new, private database, so one connection must be kept and shared.</summary>
    public bool IsInMemory { get; }

    public override IBulkWriter BulkWriter => SqliteBulkWriter.Instance;

    public override SchemaDefinition Schema => SqliteSchemaDefinition.Instance;

    public override ConnectionSource CreateConnectionSource()
    {
        var preparer = new SqliteConnectionPreparer(_options, isFile: !IsInMemory);
        return IsInMemory
            ? new SharedSqliteConnectionSource(_connectionString, preparer)
            : new PooledSqliteConnectionSource(_connectionString, preparer);
    }

    public override DbErrorKind Classify(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintPrimaryKey or SqliteConstraintUnique } =>
            DbErrorKind.UniqueViolation,
        SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintForeignKey } =>
            DbErrorKind.ForeignKeyViolation,
        _ => DbErrorKind.Other,
    };

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
