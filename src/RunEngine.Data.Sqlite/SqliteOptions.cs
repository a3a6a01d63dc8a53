namespace RunEngine.Data.Sqlite;

/// <summary>Options of an SQLite database. Every default is chosen for a file database shared by a few writers.</summary>
public sealed class SqliteOptions : RunEngineOptions
{
    /// <summary>
    /// Whether file databases run in write-ahead-log mode. Default <see langword="true"/>: the first connection runs
    /// <c>PRAGMA journal_mode=WAL</c> (a persistent setting of the file) and every connection
    /// <c>PRAGMA synchronous=NORMAL</c>, so readers do not block the writer and a commit costs no fsync of the main file.
    /// In-memory databases have no log file and ignore it. Set it to <see langword="false"/> to leave the file's journal
    /// mode and synchronous level as they are (for example on a network file system, where WAL is not supported).
    /// </summary>
    public bool UseWriteAheadLog { get; set; } = true;

    /// <summary>
    /// How long a statement waits for another connection's lock before it fails with <c>SQLITE_BUSY</c>
    /// (<c>PRAGMA busy_timeout</c>, set on every connection). Default 5 seconds. <see cref="TimeSpan.Zero"/> fails at
    /// once. Must not be negative nor exceed <see cref="int.MaxValue"/> milliseconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The busy timeout in whole milliseconds, as <c>PRAGMA busy_timeout</c> takes it.</summary>
    internal int BusyTimeoutMilliseconds => (int)Math.Ceiling(BusyTimeout.TotalMilliseconds);

    /// <inheritdoc/>
    protected internal override void Validate()
    {
        base.Validate();
        if (BusyTimeout < TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(BusyTimeout), BusyTimeout, "BusyTimeout must be between zero and int.MaxValue milliseconds.");
        }

        // SQLite has no schemas: a connection's tables live in its "main" database (attached databases are not supported).
        if (Schema is not null && !string.Equals(Schema, "main", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                "SQLite has no schemas: Schema must be null or \"main\" (the connection's own database). Use TablePrefix to keep several sets of tables apart.",
                nameof(Schema));
        }
    }
}
