using System.Data.Common;
using Npgsql;
using RunEngine.Data.Providers;

namespace RunEngine.Data.PostgreSql;

/// <summary>
/// Connections from an <see cref="NpgsqlDataSource"/>, disposed with the database only when the library built it.
/// When the library built its data source without the pool reset (<see cref="PostgreSqlDatabase.Create(string, PostgreSqlOptions?)"/>),
/// sessions take their connections from a second data source, built from the same connection
/// string that keeps it: a session hands its connection to the caller, whose own statements may leave session state.
/// </summary>
internal sealed class PostgreSqlConnectionSource : ConnectionSource
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly NpgsqlDataSource? _sessions;

    /// <param name="dataSource">The data source of the library's own operations.</param>
    /// <param name="ownsDataSource">Whether the library built it (and disposes it).</param>
    /// <param name="sessions">The data source of sessions, owned with the first; null to use the first.</param>
    public PostgreSqlConnectionSource(NpgsqlDataSource dataSource, bool ownsDataSource, NpgsqlDataSource? sessions = null)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _sessions = sessions;
    }

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override async ValueTask<DbConnection> OpenSessionAsync(CancellationToken cancellationToken) =>
        await (_sessions ?? _dataSource).OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
            if (_sessions is not null)
            {
                await _sessions.DisposeAsync().ConfigureAwait(false);
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
