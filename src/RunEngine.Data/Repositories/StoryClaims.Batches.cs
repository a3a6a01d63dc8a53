using Dapper;
using RunEngine.Data.Bulk;
using RunEngine.Data.Diagnostics;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;
using RunEngine.Data.Resilience;

namespace RunEngine.Data.Repositories;

/// <summary>The batch lease transitions of <see cref="IStoryClaims"/>: many claims, one transaction, one outcome each.</summary>
internal sealed partial class StoryClaims
{
    public Task<ClaimBatchResult> CompleteManyAsync(IEnumerable<ClaimCompletion> completions, CancellationToken cancellationToken = default)
    {
        var steps = ClaimArguments.CheckBatch(completions, nameof(completions), static (completion, subject) =>
        {
            if (completion is null)
            {
                throw new ArgumentNullException(nameof(completions), $"{subject} must not be null.");
            }

            ClaimArguments.CheckClaim(completion.Claim);
            if (completion.Result == StoryStatus.InProgress || !Enum.IsDefined(completion.Result))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(completions), completion.Result, $"{subject}.Result: a completed story needs a final status other than InProgress.");
            }

            ClaimArguments.CheckCompletionMessage(completion.Message);
            var text = completion.Message is null ? completion.Result.ToString() : $"{completion.Result}: {completion.Message}";
            return (new LeaseStep(completion.Claim, completion.Result), text);
        });
        return BatchAsync(steps, lease: null, TelemetryTags.Complete, RunEventKinds.StoryCompleted, cancellationToken);
    }

    public Task<ClaimBatchResult> RenewManyAsync(IEnumerable<StoryClaim> claims, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ClaimArguments.CheckLease(lease);
        var steps = ClaimArguments.CheckBatch(claims, nameof(claims), static (claim, _) =>
        {
            ClaimArguments.CheckClaim(claim);
            // The message is written once the new expiry is known.
            return (new LeaseStep(claim, StoryStatus.InProgress), (string?)null);
        });
        return BatchAsync(steps, lease, TelemetryTags.RenewLease, RunEventKinds.LeaseRenewed, cancellationToken);
    }

    public Task<ClaimBatchResult> ReleaseManyAsync(IEnumerable<StoryClaim> claims, CancellationToken cancellationToken = default)
    {
        var steps = ClaimArguments.CheckBatch(claims, nameof(claims), static (claim, _) =>
        {
            ClaimArguments.CheckClaim(claim);
            return (new LeaseStep(claim, StoryStatus.Ready), "released");
        });
        return BatchAsync(steps, lease: null, TelemetryTags.Release, RunEventKinds.StoryReleased, cancellationToken);
    }

    private async Task<ClaimBatchResult> BatchAsync(
        IReadOnlyList<(LeaseStep Step, string? Message)> steps, TimeSpan? lease, string operation, string kind, CancellationToken cancellationToken)
    {
        if (steps.Count == 0)
        {
            return ClaimBatchResult.Empty;
        }

        var diagnostics = _provider.Diagnostics;
        var telemetry = diagnostics.Start(operation, _stories.TableName);
        try
        {
            // The entries' ids, one per claim, made once per call: a repeat looks for them.
            var hostNow = Now();
            var eventIds = steps.Select(_ => Guid.CreateVersion7(hostNow)).ToArray();
            var result = await _provider.Retry.RunAsync(
                _scopes, operation, (attempt, ct) => BatchAttemptAsync(steps, eventIds, lease, kind, attempt, ct), cancellationToken).ConfigureAwait(false);
            telemetry.Succeed(result.Succeeded);
            foreach (var outcome in result.Outcomes)
            {
                if (outcome.Succeeded)
                {
                    DataLog.LeaseTransition(diagnostics.Logger, outcome.Claim.WorkerId, operation, outcome.StoryId);
                }
                else
                {
                    DataLog.LeaseLost(diagnostics.Logger, outcome.Claim.WorkerId, outcome.StoryId, operation, outcome.LostReason!);
                }
            }

            if (result.Lost.Count > 0)
            {
                Instrumentation.LeasesLost.Add(result.Lost.Count, telemetry.Tags(null));
            }

            return result;
        }
        catch (Exception ex)
        {
            telemetry.Fail(ex);
            throw;
        }
    }

    /// <summary>
    /// One attempt of a batch lease transition (one transaction). After an attempt whose commit outcome is unknown, the
    /// call's own log entries (one client-made id per claim) decide first: when any is stored, that attempt committed,
    /// and the result is the one it would have given — applied for the claims whose entry is stored (from the entry),
    /// lost for the others (explained as they are now) — and nothing is written again.
    /// </summary>
    internal async Task<ClaimBatchResult> BatchAttemptAsync(
        IReadOnlyList<(LeaseStep Step, string? Message)> steps, Guid[] eventIds, TimeSpan? lease, string kind, OperationAttempt attempt, CancellationToken cancellationToken)
    {
        // A provider that writes the transitions and their entries as one statement runs it in autocommit on a
        // connection of the library's own (one round trip, no BEGIN and COMMIT); the others take a transaction.
        var oneStatement = _provider.LeaseBatch.WritesLog;
        var scope = await _scopes.BeginAsync(write: !oneStatement, cancellationToken).ConfigureAwait(false);
        await using var scopeDisposal = scope.ConfigureAwait(false);
        if (attempt.EarlierMayHaveCommitted)
        {
            var entries = await RunLogProbe.FindAsync(_provider, scope, eventIds, RunsOf(steps.Select(s => s.Step.Claim)), cancellationToken).ConfigureAwait(false);
            if (entries.Count > 0)
            {
                var applied = new Dictionary<Guid, StoredTransition>(entries.Count);
                for (var i = 0; i < steps.Count; i++)
                {
                    if (entries.TryGetValue(eventIds[i], out var entry))
                    {
                        applied[steps[i].Step.Claim.StoryId] = Recognised(steps[i].Step.Claim, entry, renewal: lease is not null);
                    }
                }

                return await OutcomesAsync(scope, steps, applied, lease, cancellationToken).ConfigureAwait(false);
            }

            attempt.MarkEarlierNotStored();
        }

        if (oneStatement)
        {
            // The one autocommit write (in a session: a statement of the caller's transaction). The lost claims are
            // explained afterwards, as the single-claim calls do.
            scope.MarkCommitSent(attempt);
            var logged = await _provider.LeaseBatch.ApplyLoggedAsync(
                _provider, scope, steps.Select(s => s.Step).ToArray(), steps.Select(s => s.Message).ToArray(), eventIds, kind, lease, Now(), cancellationToken).ConfigureAwait(false);
            return await OutcomesAsync(scope, steps, logged, lease, cancellationToken).ConfigureAwait(false);
        }

        var stored = await _provider.LeaseBatch.ApplyAsync(_provider, scope, steps.Select(s => s.Step).ToArray(), lease, Now(), cancellationToken).ConfigureAwait(false);
        var events = new List<RunEvent>(stored.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var (step, message) = steps[i];
            if (stored.TryGetValue(step.Claim.StoryId, out var transition))
            {
                // As the single calls: the entry's time is the change's updated_at as stored.
                var text = message ?? $"lease until {transition.LeaseExpiresAt:O}";
                events.Add(Event(step.Claim.Story, step.Claim.WorkerId, kind, text, transition.UpdatedAt, eventIds[i]));
            }
        }

        if (events.Count > 0)
        {
            // Never null: the sequence has at least one entry.
            var rows = (await RowSource<RunEvent>.OpenAsync(_events.Map, events, new WriteContext(events[0].OccurredAt), BulkInsertOptions.Default, cancellationToken).ConfigureAwait(false))!;
            await using var rowsDisposal = rows.ConfigureAwait(false);
            await _events.WriteAsync(scope, rows, BulkInsertOptions.Default, cancellationToken).ConfigureAwait(false);
        }

        var result = await OutcomesAsync(scope, steps, stored, lease, cancellationToken).ConfigureAwait(false);
        scope.MarkCommitSent(attempt);
        await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The outcome of each claim, in the order passed: applied with what was stored, or lost and why.</summary>
    private async Task<ClaimBatchResult> OutcomesAsync(
        OperationScope scope, IReadOnlyList<(LeaseStep Step, string? Message)> steps, IReadOnlyDictionary<Guid, StoredTransition> stored, TimeSpan? lease, CancellationToken cancellationToken)
    {
        var lost = steps.Where(s => !stored.ContainsKey(s.Step.Claim.StoryId)).Select(s => s.Step.Claim).ToArray();
        var reasons = lost.Length == 0 ? new Dictionary<Guid, string>() : await ExplainManyAsync(scope, lost, cancellationToken).ConfigureAwait(false);
        var outcomes = steps.Select(s =>
        {
            var claim = s.Step.Claim;
            if (!stored.TryGetValue(claim.StoryId, out var transition))
            {
                return new ClaimOutcome(claim, null, null, reasons[claim.StoryId]);
            }

            return new ClaimOutcome(claim, transition.Version, lease is null ? null : Renewed(claim, transition), null);
        }).ToArray();
        return new ClaimBatchResult(outcomes);
    }

    /// <summary>Why each of <paramref name="claims"/> lost its lease, from one query over all of them.</summary>
    private async Task<Dictionary<Guid, string>> ExplainManyAsync(OperationScope scope, StoryClaim[] claims, CancellationToken cancellationToken)
    {
        var byId = claims.ToDictionary(c => c.StoryId);
        var parameters = _provider.Clock.AddParameters(new DynamicParameters(new { RunIds = RunsOf(claims), Ids = byId.Keys.ToArray() }), Now(), lease: null);
        var reasons = new Dictionary<Guid, string>(claims.Length);
        var reader = await scope.Connection.ExecuteReaderAsync(
            _stories.Command(_provider.Runs.InspectClaims, parameters, scope, cancellationToken)).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetGuid(0);
                // The runs of several claims are searched together: a row of another run than its claim's is not its story.
                if (reader.GetGuid(6) == byId[id].Story.RunId)
                {
                    reasons[id] = LeaseExplanation.Read(reader, 1, byId[id]);
                }
            }
        }

        foreach (var claim in claims)
        {
            reasons.TryAdd(claim.StoryId, LeaseExplanation.Missing);
        }

        return reasons;
    }

    /// <summary>The distinct runs of <paramref name="claims"/>' stories (a batch usually holds one).</summary>
    internal static Guid[] RunsOf(IEnumerable<StoryClaim> claims) => claims.Select(c => c.Story.RunId).Distinct().ToArray();
}
