using Dapper;
using RunEngine.Data.Bulk;
using RunEngine.Data.Diagnostics;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;
using RunEngine.Data.Resilience;

namespace RunEngine.Data.Repositories;

/// <summary><see cref="IStoryClaims"/>: the provider's non-blocking claim statement plus provider-neutral lease transitions.</summary>
internal sealed partial class StoryClaims : IStoryClaims
{
    private readonly IScopeFactory _scopes;
    private readonly DatabaseProvider _provider;
    private readonly EntityStore<Story> _stories;
    private readonly EntityStore<RunEvent> _events;

    public StoryClaims(IScopeFactory scopes, DatabaseProvider provider, EntityStore<Story> stories, EntityStore<RunEvent> events)
    {
        _scopes = scopes;
        _provider = provider;
        _stories = stories;
        _events = events;
    }

    public async Task<IReadOnlyList<StoryClaim>> ClaimAsync(
        Guid runId, string workerId, int maxStories, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ClaimArguments.CheckRun(runId);
        ClaimArguments.CheckWorker(workerId);
        ClaimArguments.CheckMax(maxStories);
        ClaimArguments.CheckLease(lease);
        var diagnostics = _provider.Diagnostics;
        var telemetry = diagnostics.Start(TelemetryTags.Claim, _stories.TableName);
        try
        {
            var call = NewClaimCall(runId, workerId, maxStories, lease);
            var claims = await _provider.Retry.RunAsync(
                _scopes, TelemetryTags.Claim, (attempt, ct) => ClaimAttemptAsync(call, attempt, ct), cancellationToken).ConfigureAwait(false);
            telemetry.Succeed(claims.Count);
            if (claims.Count > 0)
            {
                Instrumentation.StoriesClaimed.Add(claims.Count, telemetry.Tags(null));
                DataLog.StoriesClaimed(diagnostics.Logger, workerId, claims.Count, runId, claims[0].LeaseExpiresAt);
            }

            return claims;
        }
        catch (Exception ex)
        {
            telemetry.Fail(ex);
            throw;
        }
    }

    /// <summary>The state of one claim call across its attempts (checked arguments).</summary>
    internal ClaimCall NewClaimCall(Guid runId, string workerId, int maxStories, TimeSpan lease) => new(runId, workerId, maxStories, lease, Now());

    /// <summary>
    /// One attempt of a claim. After an attempt whose commit outcome is unknown, the stories that attempt claimed are
    /// found by the call's own <c>story.claimed</c> entries (client-made ids, written with the claim): those still
    /// exactly as that claim left them (held by this worker, in progress, not changed since) are returned with the
    /// claim, and only the rest of <see cref="ClaimCall.MaxStories"/> is claimed anew. Stories this worker holds from
    /// other calls are never handed back.
    /// </summary>
    internal async Task<IReadOnlyList<StoryClaim>> ClaimAttemptAsync(ClaimCall call, OperationAttempt attempt, CancellationToken cancellationToken)
    {
        var logged = _provider.ClaimStoriesLogged;
        var scope = await _scopes.BeginAsync(write: logged is null, cancellationToken).ConfigureAwait(false);
        await using var scopeDisposal = scope.ConfigureAwait(false);
        var claimed = new List<Story>();
        var max = call.MaxStories;
        if (attempt.EarlierMayHaveCommitted && call.SentEventIds.Count > 0)
        {
            var entries = await RunLogProbe.FindAsync(_provider, scope, call.SentEventIds, [call.RunId], cancellationToken).ConfigureAwait(false);
            if (entries.Count == 0)
            {
                attempt.MarkEarlierNotStored();
            }

            claimed.AddRange(await StillClaimedAsync(scope, call.RunId, call.WorkerId, entries.Values, cancellationToken).ConfigureAwait(false));
            // Only what is still this call's counts against the maximum (a story changed since is claimed anew if it can be).
            max -= claimed.Count;
        }

        if (max > 0)
        {
            await ClaimMoreAsync(scope, call, max, logged, claimed, attempt, cancellationToken).ConfigureAwait(false);
        }

        return claimed.OrderBy(s => s.Position).ThenBy(s => s.Id).Select(s => new StoryClaim(s, call.WorkerId, LeaseOf(s))).ToArray();
    }

    private async Task ClaimMoreAsync(
        OperationScope scope, ClaimCall call, int max, string? logged, List<Story> claimed, OperationAttempt attempt, CancellationToken cancellationToken)
    {
        var parameters = _provider.Clock.AddParameters(
            new DynamicParameters(new
            {
                call.RunId,
                Worker = call.WorkerId,
                Max = max,
                Ready = (short)StoryStatus.Ready,
                InProgress = (short)StoryStatus.InProgress,
            }),
            call.HostNow,
            call.Lease);

        // The entries' ids, one per story this attempt may claim, time-ordered by the host's clock; given in order to the
        // claimed rows in position and id order (by the one statement, or below).
        var ids = new Guid[max];
        var hostNow = Now();
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = Guid.CreateVersion7(hostNow);
        }

        Array.Sort(ids);
        if (logged is not null)
        {
            // The claim and its entries as one statement: in autocommit on a connection of the library's own, in the
            // caller's transaction otherwise.
            parameters.Add("EventIds", ids);
            parameters.Add("Kind", RunEventKinds.StoryClaimed);
            call.SentEventIds.AddRange(ids);
            scope.MarkCommitSent(attempt);
        }

        var fresh = new List<Story>();
        var reader = await scope.Connection.ExecuteReaderAsync(_stories.Command(logged ?? _provider.ClaimStories, parameters, scope, cancellationToken)).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                fresh.Add(_stories.Map.Materialize(reader));
            }
        }

        if (logged is null)
        {
            if (fresh.Count > 0)
            {
                // The times as stored (by whichever clock): updated_at is the claim's now, lease_expires_at its expiry.
                var ordered = fresh.OrderBy(s => s.Position).ThenBy(s => s.Id).ToArray();
                var events = ordered.Select((s, i) => Event(s, call.WorkerId, RunEventKinds.StoryClaimed, $"lease until {s.LeaseExpiresAt:O}", s.UpdatedAt, ids[i]));
                // Never null: the sequence has at least one entry.
                var rows = (await RowSource<RunEvent>.OpenAsync(_events.Map, events, new WriteContext(fresh[0].UpdatedAt), BulkInsertOptions.Default, cancellationToken).ConfigureAwait(false))!;
                await using var rowsDisposal = rows.ConfigureAwait(false);
                await _events.WriteAsync(scope, rows, BulkInsertOptions.Default, cancellationToken).ConfigureAwait(false);
            }

            call.SentEventIds.AddRange(ids.Take(fresh.Count));
            scope.MarkCommitSent(attempt);
        }

        await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
        claimed.AddRange(fresh);
    }

    /// <summary>
    /// The stories named by an earlier attempt's claim entries that are exactly as that claim left them: held by
    /// <paramref name="workerId"/>, in progress, and not changed since (their updated_at is the entry's time).
    /// </summary>
    private async Task<List<Story>> StillClaimedAsync(OperationScope scope, Guid runId, string workerId, ICollection<LoggedEntry> entries, CancellationToken cancellationToken)
    {
        var held = new List<Story>();
        var times = entries.ToDictionary(e => e.StoryId, e => e.OccurredAt);
        foreach (var chunk in times.Keys.Chunk(RunLogProbe.ChunkSize))
        {
            var reader = await scope.Connection.ExecuteReaderAsync(
                _stories.Command(_stories.Statements.SelectByRunAndIds, new { RunId = runId, Ids = chunk }, scope, cancellationToken)).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var story = _stories.Map.Materialize(reader);
                if (story.Status == StoryStatus.InProgress && story.LeaseExpiresAt is not null
                    && string.Equals(story.ClaimedBy, workerId, StringComparison.Ordinal) && story.UpdatedAt == times[story.Id])
                {
                    held.Add(story);
                }
            }
        }

        return held;
    }

    public async Task<StoryClaim> RenewAsync(StoryClaim claim, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ClaimArguments.CheckClaim(claim);
        ClaimArguments.CheckLease(lease);
        var stored = await TransitionAsync(NewRenewal(claim, lease), TelemetryTags.RenewLease, cancellationToken).ConfigureAwait(false);
        return Renewed(claim, stored);
    }

    /// <summary>One renewal call (checked arguments), its client-made values made once.</summary>
    internal LeaseTransition NewRenewal(StoryClaim claim, TimeSpan lease)
    {
        var parameters = _provider.Clock.AddParameters(
            new DynamicParameters(new
            {
                claim.Story.RunId,
                Id = claim.StoryId,
                Worker = claim.WorkerId,
                claim.Version,
                InProgress = (short)StoryStatus.InProgress,
            }),
            Now(),
            lease);
        return NewTransition(claim, _provider.Runs.RenewLease, _provider.SingleRow?.RenewLease, parameters, RunEventKinds.LeaseRenewed, null);
    }

    /// <summary>The claim after a renewal, with the stored version, lease and updated_at.</summary>
    private static StoryClaim Renewed(StoryClaim claim, StoredTransition stored)
    {
        var story = Copy(claim.Story);
        story.Version = stored.Version;
        story.LeaseExpiresAt = stored.LeaseExpiresAt;
        story.UpdatedAt = stored.UpdatedAt;
        return new StoryClaim(story, claim.WorkerId, LeaseOf(story));
    }

    public async Task<int> CompleteAsync(StoryClaim claim, StoryStatus result, string? message = null, CancellationToken cancellationToken = default)
    {
        ClaimArguments.CheckClaim(claim);
        if (result == StoryStatus.InProgress || !Enum.IsDefined(result))
        {
            throw new ArgumentOutOfRangeException(nameof(result), result, "result must be a defined StoryStatus value other than InProgress.");
        }

        // Rejected, never truncated: the whole message reaches the run log or the call fails before anything is sent.
        ClaimArguments.CheckCompletionMessage(message);

        var stored = await TransitionAsync(NewCompletion(claim, result, message), TelemetryTags.Complete, cancellationToken).ConfigureAwait(false);
        return stored.Version;
    }

    public Task ReleaseAsync(StoryClaim claim, CancellationToken cancellationToken = default)
    {
        ClaimArguments.CheckClaim(claim);
        return TransitionAsync(NewRelease(claim), TelemetryTags.Release, cancellationToken);
    }

    /// <summary>One completion call (checked arguments), its client-made values made once.</summary>
    internal LeaseTransition NewCompletion(StoryClaim claim, StoryStatus result, string? message)
    {
        var text = message is null ? result.ToString() : $"{result}: {message}";
        return NewFinish(claim, result, RunEventKinds.StoryCompleted, text);
    }

    /// <summary>One release call (checked arguments), its client-made values made once.</summary>
    internal LeaseTransition NewRelease(StoryClaim claim) => NewFinish(claim, StoryStatus.Ready, RunEventKinds.StoryReleased, "released");

    private LeaseTransition NewFinish(StoryClaim claim, StoryStatus status, string kind, string message)
    {
        var parameters = _provider.Clock.AddParameters(
            new DynamicParameters(new
            {
                claim.Story.RunId,
                Id = claim.StoryId,
                Worker = claim.WorkerId,
                claim.Version,
                InProgress = (short)StoryStatus.InProgress,
                Status = (short)status,
            }),
            Now(),
            lease: null);
        return NewTransition(claim, _provider.Runs.FinishClaim, _provider.SingleRow?.FinishClaim, parameters, kind, message);
    }

    /// <summary>
    /// Runs a lease transition and its log entry atomically (one statement when the provider has the form, else two in
    /// one transaction), or explains why the lease is lost. A renewal's message (<see cref="LeaseTransition.Message"/>
    /// null) is <c>lease until {expiry:O}</c>, written from the stored expiry.
    /// </summary>
    private async Task<StoredTransition> TransitionAsync(LeaseTransition transition, string operation, CancellationToken cancellationToken)
    {
        var claim = transition.Claim;
        var diagnostics = _provider.Diagnostics;
        var telemetry = diagnostics.Start(operation, _stories.TableName);
        try
        {
            var stored = await _provider.Retry.RunAsync(
                _scopes, operation, (attempt, ct) => TransitionAttemptAsync(transition, attempt, ct), cancellationToken).ConfigureAwait(false);
            telemetry.Succeed(rows: 1);
            DataLog.LeaseTransition(diagnostics.Logger, claim.WorkerId, operation, claim.StoryId);
            return stored;
        }
        catch (Exception ex)
        {
            telemetry.Fail(ex);
            if (ex is LeaseLostException lost)
            {
                Instrumentation.LeasesLost.Add(1, telemetry.Tags(null));
                DataLog.LeaseLost(diagnostics.Logger, lost.WorkerId, lost.StoryId, operation, lost.Reason);
            }

            throw;
        }
    }

    /// <summary>
    /// The values of one lease transition call, the client-made ones (the log entry's id, the host's time) made once, so
    /// every attempt sends the same.
    /// </summary>
    private LeaseTransition NewTransition(StoryClaim claim, string sql, string? oneStatement, DynamicParameters parameters, string kind, string? message)
    {
        // The entry's id is time-ordered by the host's clock (the stored updated_at is not known before the statement).
        var eventId = Guid.CreateVersion7(Now());
        if (oneStatement is not null)
        {
            parameters.Add("EventId", eventId);
            parameters.Add("CardId", null, System.Data.DbType.Guid);
            parameters.Add("Kind", kind);
            if (message is not null)
            {
                parameters.Add("Message", message);
            }
        }

        return new LeaseTransition(claim, oneStatement ?? sql, oneStatement is not null, parameters, kind, message, eventId);
    }

    /// <summary>
    /// One attempt of a lease transition. When the statement finds the lease no longer held and an earlier attempt's
    /// outcome is unknown, the call's own log entry decides: stored, the transition is (it was written with it), and
    /// the attempt returns what the first one would have (version + 1, the stored time and lease, from the entry).
    /// </summary>
    internal async Task<StoredTransition> TransitionAttemptAsync(LeaseTransition transition, OperationAttempt attempt, CancellationToken cancellationToken)
    {
        var claim = transition.Claim;
        var scope = await _scopes.BeginAsync(write: !transition.OneStatement, cancellationToken).ConfigureAwait(false);
        await using var scopeDisposal = scope.ConfigureAwait(false);
        if (transition.OneStatement)
        {
            // The one autocommit write (in a session: a statement of the caller's transaction).
            scope.MarkCommitSent(attempt);
        }

        StoredTransition? stored = null;
        var reader = await scope.Connection.ExecuteReaderAsync(_stories.Command(transition.Sql, transition.Parameters, scope, cancellationToken)).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            // At most one row: the statement changes the story with this id, or nothing.
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored = StoredTransition.Read(reader);
            }
        }

        if (stored is null)
        {
            if (attempt.EarlierMayHaveCommitted
                && (await RunLogProbe.FindAsync(_provider, scope, [transition.EventId], [claim.Story.RunId], cancellationToken).ConfigureAwait(false)).TryGetValue(transition.EventId, out var entry))
            {
                return Recognised(claim, entry, renewal: transition.Message is null);
            }

            throw new LeaseLostException(claim.StoryId, claim.WorkerId, await ExplainAsync(scope, claim, cancellationToken).ConfigureAwait(false));
        }

        if (transition.OneStatement)
        {
            return stored;
        }

        // The entry's time is the change's updated_at as stored, so the log and the row agree whichever clock wrote it.
        var entryValues = Event(claim.Story, claim.WorkerId, transition.Kind, transition.Message ?? $"lease until {stored.LeaseExpiresAt:O}", stored.UpdatedAt, transition.EventId);
        var values = new
        {
            EventId = entryValues.Id,
            entryValues.RunId,
            entryValues.StoryId,
            entryValues.CardId,
            entryValues.Kind,
            entryValues.Message,
            entryValues.Worker,
            entryValues.OccurredAt,
        };
        await scope.Connection.ExecuteAsync(_stories.Command(_provider.Runs.InsertEvent, values, scope, cancellationToken)).ConfigureAwait(false);
        scope.MarkCommitSent(attempt);
        await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>
    /// What a transition stored, read from its own log entry: the version the claim's + 1 (the statement's condition was
    /// the claim's version), the entry's time (the change's stored updated_at) and, for a renewal, the lease its message names.
    /// </summary>
    private static StoredTransition Recognised(StoryClaim claim, LoggedEntry entry, bool renewal) =>
        new(claim.Version + 1, renewal ? RunLogProbe.LeaseUntil(entry) : null, entry.OccurredAt);

    private async Task<string> ExplainAsync(OperationScope scope, StoryClaim claim, CancellationToken cancellationToken)
    {
        var parameters = _provider.Clock.AddParameters(new DynamicParameters(new { claim.Story.RunId, Id = claim.StoryId }), Now(), lease: null);
        var reader = await scope.Connection.ExecuteReaderAsync(
            _stories.Command(_provider.Runs.InspectClaim, parameters, scope, cancellationToken)).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? LeaseExplanation.Read(reader, 0, claim) : LeaseExplanation.Missing;
    }

    private static RunEvent Event(Story story, string worker, string kind, string message, DateTimeOffset now, Guid id) => new()
    {
        Id = id,
        RunId = story.RunId,
        StoryId = story.Id,
        Kind = kind,
        Message = message,
        Worker = worker,
        OccurredAt = now,
    };

    private static Story Copy(Story s) => new()
    {
        Id = s.Id,
        RunId = s.RunId,
        Position = s.Position,
        Title = s.Title,
        Body = s.Body,
        Status = s.Status,
        Version = s.Version,
        CreatedAt = s.CreatedAt,
        UpdatedAt = s.UpdatedAt,
        Metadata = s.Metadata,
        ClaimedBy = s.ClaimedBy,
        LeaseExpiresAt = s.LeaseExpiresAt,
    };

    /// <summary>The host's time, which the statements read only with <see cref="LeaseClock.Host"/>.</summary>
    private DateTimeOffset Now() => Timestamps.Normalize(_provider.Options.TimeProvider.GetUtcNow());

    /// <summary>A claimed story's stored lease end (the claim statement sets it on every row it returns).</summary>
    private static DateTimeOffset LeaseOf(Story story) =>
        story.LeaseExpiresAt ?? throw new InvalidOperationException("The claim statement returned a story without a lease.");
}
