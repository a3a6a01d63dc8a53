using System.Data.Common;
using Npgsql;
using RunEngine.Data.Providers;

namespace RunEngine.Data.PostgreSql;

/// <summary>Connections from an <see cref="NpgsqlDataSource"/>, disposed with the database only when the library built it.</summary>
internal sealed class PostgreSqlConnectionSource : ConnectionSource
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    public PostgreSqlConnectionSource(NpgsqlDataSource dataSource, bool ownsDataSource)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
