using Dapper;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Repositories;

/// <summary>
/// The check of a commit whose reply was lost (see <see cref="Resilience.OperationAttempt.EarlierMayHaveCommitted"/>):
/// is one row the earlier attempt wrote, by its client-made id, stored? One primary-key read, on a connection of its
/// own; a transient error here fails the attempt (the next one checks again).
/// </summary>
internal static class StoredRows
{
    public static async Task<bool> ExistsAsync<T>(
        DatabaseProvider provider, TableStatements<T> statements, IScopeFactory scopes, Guid id, CancellationToken cancellationToken)
        where T : class
    {
        var scope = await scopes.BeginAsync(write: false, cancellationToken).ConfigureAwait(false);
        await using var scopeDisposal = scope.ConfigureAwait(false);
        var reader = await scope.Connection.ExecuteReaderAsync(
            new CommandDefinition(statements.SelectById, new { Id = id }, scope.Transaction, provider.CommandTimeoutSeconds, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }
}
