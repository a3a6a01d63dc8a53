using Dapper;
using RunEngine.Data.Repositories;

namespace RunEngine.Data.Providers;

/// <summary>
/// Applies a batch of lease transitions inside the caller's transaction and returns what was stored for the claims
/// whose lease still held, by story id. Each claim is checked exactly as by the single-claim statements
/// (<see cref="RunStatements.RenewLease"/>, <see cref="RunStatements.FinishClaim"/>): worker, version, InProgress and
/// an unexpired lease on the configured clock. This default sends those prepared statements once per claim, in id
/// order (SQLite, where one immediate transaction already serializes writers); providers with a
/// set-based form override it.
/// </summary>
internal class LeaseBatch
{
    /// <summary>
    /// Whether <see cref="ApplyLoggedAsync"/> is supported: the transitions and their run-log entries as ONE statement,
    /// atomic by itself, so a connection of the library's own runs it in autocommit (no BEGIN and COMMIT).
    /// </summary>
    public virtual bool WritesLog => false;

    /// <summary>
    /// As <see cref="ApplyAsync"/>, and writes each applied transition's run-log entry in the same statement: id
    /// <paramref name="eventIds"/>[i], kind <paramref name="kind"/>, message <paramref name="messages"/>[i] (null: a
    /// renewal's <c>lease until …</c> from the stored expiry), the claim's worker, the stored updated_at as its time,
    /// in the order of <paramref name="steps"/>.
    /// </summary>
    public virtual Task<IReadOnlyDictionary<Guid, StoredTransition>> ApplyLoggedAsync(
        DatabaseProvider provider,
        OperationScope scope,
        IReadOnlyList<LeaseStep> steps,
        IReadOnlyList<string?> messages,
        IReadOnlyList<Guid> eventIds,
        string kind,
        TimeSpan? lease,
        DateTimeOffset hostNow,
        CancellationToken cancellationToken) =>
        throw new NotSupportedException("This provider writes a batch's log entries apart from its transitions.");

    /// <summary>Applies the steps: renewals to now + <paramref name="lease"/> when it is given, else finishes with each step's status.</summary>
    public virtual async Task<IReadOnlyDictionary<Guid, StoredTransition>> ApplyAsync(
        DatabaseProvider provider, OperationScope scope, IReadOnlyList<LeaseStep> steps, TimeSpan? lease, DateTimeOffset hostNow, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<Guid, StoredTransition>(steps.Count);
        var sql = lease is null ? provider.Runs.FinishClaim : provider.Runs.RenewLease;
        // One order for every worker, so two batches over the same stories take their row locks in the same order.
        foreach (var step in steps.OrderBy(s => s.Claim.StoryId))
        {
            var values = new DynamicParameters(new
            {
                step.Claim.Story.RunId,
                Id = step.Claim.StoryId,
                Worker = step.Claim.WorkerId,
                step.Claim.Version,
                InProgress = (short)StoryStatus.InProgress,
            });
            if (lease is null)
            {
                values.Add("Status", (short)step.Status);
            }

            var parameters = provider.Clock.AddParameters(values, hostNow, lease);
            var command = new CommandDefinition(sql, parameters, scope.Transaction, provider.CommandTimeoutSeconds, cancellationToken: cancellationToken);
            var reader = await scope.Connection.ExecuteReaderAsync(command).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored[step.Claim.StoryId] = StoredTransition.Read(reader);
            }
        }

        return stored;
    }
}
