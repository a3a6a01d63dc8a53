using Dapper;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Repositories;

/// <summary>The single-claim lease transitions of <see cref="IStoryClaims"/> in the provider's one-statement form (<see cref="SingleRowChanges"/>).</summary>
internal sealed partial class StoryClaims
{
    /// <summary>
    /// The transition and its log entry as one statement (<see cref="SingleRowChanges"/>): atomic by itself, so on a
    /// connection of the library's own it runs in autocommit, one round trip; in a session or joined transaction it
    /// runs in the caller's. A lost lease costs a second statement, which explains it.
    /// </summary>
    private async Task<StoredTransition> OneStatementTransitionAsync(
        StoryClaim claim, string sql, DynamicParameters parameters, string kind, string? message, CancellationToken cancellationToken)
    {
        var scope = await _scopes.BeginAsync(write: false, cancellationToken).ConfigureAwait(false);
        await using var scopeDisposal = scope.ConfigureAwait(false);
        // The entry's id is time-ordered by the host's clock (the stored updated_at is not known before the statement).
        parameters.Add("EventId", Guid.CreateVersion7(Now()));
        parameters.Add("CardId", null, System.Data.DbType.Guid);
        parameters.Add("Kind", kind);
        if (message is not null)
        {
            parameters.Add("Message", message);
        }

        StoredTransition? stored = null;
        var reader = await scope.Connection.ExecuteReaderAsync(_stories.Command(sql, parameters, scope, cancellationToken)).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored = StoredTransition.Read(reader);
            }
        }

        return stored ?? throw new LeaseLostException(claim.StoryId, claim.WorkerId, await ExplainAsync(scope, claim, cancellationToken).ConfigureAwait(false));
    }
}
