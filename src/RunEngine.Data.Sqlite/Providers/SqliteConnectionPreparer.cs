using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RunEngine.Data.Sqlite.Providers;

/// <summary>Runs the per-connection PRAGMAs on every connection the database opens.</summary>
internal sealed class SqliteConnectionPreparer
{
    private readonly string _everyConnection;
    private readonly string? _onceForFile;
    private int _fileDone;

    public SqliteConnectionPreparer(SqliteOptions options, bool isFile)
    {
        // busy_timeout comes first so that the journal-mode switch below also waits for other connections' locks.
        _everyConnection = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {options.BusyTimeoutMilliseconds}; PRAGMA foreign_keys = ON;");
        if (isFile && options.UseWriteAheadLog)
        {
            // synchronous is per connection; NORMAL is safe in WAL mode (a power loss may lose the last commits, never corrupt).
            _everyConnection += " PRAGMA synchronous = NORMAL;";

            // journal_mode=WAL is stored in the file, so one switch per database object is enough.
            _onceForFile = "PRAGMA journal_mode = WAL;";
        }
    }

    public async Task PrepareAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using var commandDisposal = command.ConfigureAwait(false);
        command.CommandText = _everyConnection;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (_onceForFile is not null && Volatile.Read(ref _fileDone) == 0)
        {
            command.CommandText = _onceForFile;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _fileDone, 1);
        }
    }
}
