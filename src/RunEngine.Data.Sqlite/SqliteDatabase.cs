using Microsoft.Data.Sqlite;
using RunEngine.Data.Sqlite.Providers;

namespace RunEngine.Data.Sqlite;

/// <summary>Creates a <see cref="RunEngineDatabase"/> over an SQLite database (a file, or in memory).</summary>
public static class SqliteDatabase
{
    /// <summary>
    /// Creates the database object for <paramref name="connectionString"/> (Microsoft.Data.Sqlite syntax, for example
    /// <c>Data Source=runs.db</c>). Create it once and share it. Bulk inserts run one prepared INSERT, reused for every
    /// row, inside one immediate transaction; every connection gets <c>PRAGMA foreign_keys=ON</c> and the options' busy
    /// timeout (and WAL mode for files).
    /// </summary>
    /// <remarks>
    /// <para>
    /// In-memory databases (<c>Data Source=:memory:</c>, <c>Mode=Memory</c>, or an empty data source, which SQLite
    /// makes a private temporary database) live only as long as a connection to them: every new connection would see
    /// a new, empty database. For those, the returned object opens ONE connection, keeps it for its whole lifetime and
    /// hands it to one operation at a time (the others wait). A session (<see cref="RunEngineDatabase.BeginSessionAsync"/>)
    /// or an unfinished enumeration of a read holds that connection until it is disposed or finished, so do not call
    /// the database object's own repositories while one is open on the same flow: use the session's repositories.
    /// Disposing the database object closes the connection and discards the data.
    /// </para>
    /// <para>
    /// SQLite has one writer at a time and no row locks: a claim (<see cref="RunEngineDatabase.Claims"/>) is one
    /// <c>UPDATE ... RETURNING</c> in an immediate transaction, so workers sharing a file take turns, each waiting up
    /// to <see cref="SqliteOptions.BusyTimeout"/> for the write lock, and never receive the same story. Workers in
    /// several processes can share a local file this way; for many machines, use a server database.
    /// </para>
    /// <para>
    /// With <see cref="RunEngineDatabase.Join"/>, the caller's connection must have foreign keys enabled
    /// (<c>Foreign Keys=True</c> in its connection string or <c>PRAGMA foreign_keys=ON</c> before any transaction);
    /// SQLite leaves them off by default, and a card could then reference a missing story.
    /// </para>
    /// </remarks>
    /// <param name="connectionString">The connection string; it is never included in messages or logs.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="ArgumentException">The connection string cannot be parsed, or an option is out of range.</exception>
    public static RunEngineDatabase Create(string connectionString, SqliteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return new RunEngineDatabase(new SqliteProvider(builder, options ?? new SqliteOptions()));
    }
}
