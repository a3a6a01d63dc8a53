using System.Data.Common;
using Microsoft.Data.SqlClient;
using RunEngine.Data.Providers;

namespace RunEngine.Data.SqlServer;

/// <summary>A new <see cref="SqlConnection"/> per operation; SqlClient pools the physical connections.</summary>
internal sealed class SqlServerConnectionSource : ConnectionSource
{
    private readonly string _connectionString;

    public SqlServerConnectionSource(string connectionString)
    {
        _connectionString = connectionString;
    }

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
