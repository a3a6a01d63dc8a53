using Dapper;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Schema;

/// <summary>
/// Reads the applied schema version in one statement (<see cref="SchemaMigrator.CurrentVersionSql"/>) on a connection of
/// the database's own, in autocommit, without taking the migration lock: the health check's query. Not retried: a probe
/// reports what it sees now, and the next probe is its retry.
/// </summary>
internal static class SchemaVersionProbe
{
    public static async Task<SchemaVersionReading> ReadAsync(DatabaseProvider provider, ConnectionSource connections, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(connections);
        var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var version = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                SchemaMigrator.CurrentVersionSql(provider.Tables),
                commandTimeout: provider.CommandTimeoutSeconds,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new SchemaVersionReading(version ?? 0, TableMissing: false);
        }
        catch (Exception ex) when (provider.Schema.IsMissingTable(ex))
        {
            return new SchemaVersionReading(0, TableMissing: true);
        }
        finally
        {
            await connections.ReleaseAsync(connection).ConfigureAwait(false);
        }
    }
}
