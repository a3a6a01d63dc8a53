using Dapper;
using RunEngine.Data.Bulk;
using RunEngine.Data.Diagnostics;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;

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
            var claims = await ClaimCoreAsync(runId, workerId, maxStories, lease, cancellationToken).ConfigureAwait(false);
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

    private async Task<IReadOnlyList<StoryClaim>> ClaimCoreAsync(
        Guid runId, string workerId, int maxStories, TimeSpan lease, CancellationToken cancellationToken)
    {
        var logged = _provider.ClaimStoriesLogged;
        var scope = await _scopes.BeginAsync(write: logged is null, cancellationToken).ConfigureAwait(false);
        await using var scopeDisposal = scope.ConfigureAwait(false);
        var parameters = _provider.Clock.AddParameters(
            new DynamicParameters(new
            {
                RunId = runId,
                Worker = workerId,
                Max = maxStories,
                Ready = (short)StoryStatus.Ready,
                InProgress = (short)StoryStatus.InProgress,
            }),
            Now(),
            lease);
        if (logged is not null)
        {
            // The claim and its entries as one statement: in autocommit on a connection of the library's own, in the
            // caller's transaction otherwise. The ids are time-ordered by the host's clock, one per story it may claim.
            var ids = new Guid[maxStories];
            var hostNow = Now();
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = Guid.CreateVersion7(hostNow);
            }

            Array.Sort(ids);
            parameters.Add("EventIds", ids);
            parameters.Add("Kind", RunEventKinds.StoryClaimed);
        }

        var claimed = new List<Story>();
        var reader = await scope.Connection.ExecuteReaderAsync(_stories.Command(logged ?? _provider.ClaimStories, parameters, scope, cancellationToken)).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                claimed.Add(_stories.Map.Materialize(reader));
            }
        }

        if (logged is null && claimed.Count > 0)
        {
            // The times as stored (by whichever clock): updated_at is the claim's now, lease_expires_at its expiry.
            var events = claimed.Select(s => Event(s, workerId, RunEventKinds.StoryClaimed, $"lease until {s.LeaseExpiresAt:O}", s.UpdatedAt));
            // Never null: the sequence has at least one entry.
            var rows = (await RowSource<RunEvent>.OpenAsync(_events.Map, events, new WriteContext(claimed[0].UpdatedAt), BulkInsertOptions.Default, cancellationToken).ConfigureAwait(false))!;
            await using var rowsDisposal = rows.ConfigureAwait(false);
            await _events.WriteAsync(scope, rows, BulkInsertOptions.Default, cancellationToken).ConfigureAwait(false);
        }

        await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return claimed.OrderBy(s => s.Position).ThenBy(s => s.Id).Select(s => new StoryClaim(s, workerId, LeaseOf(s))).ToArray();
    }

    public async Task<StoryClaim> RenewAsync(StoryClaim claim, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ClaimArguments.CheckClaim(claim);
        ClaimArguments.CheckLease(lease);
        var parameters = _provider.Clock.AddParameters(
            new DynamicParameters(new
            {
                Id = claim.StoryId,
                Worker = claim.WorkerId,
                claim.Version,
                InProgress = (short)StoryStatus.InProgress,
            }),
            Now(),
            lease);
        var stored = await TransitionAsync(
            claim, TelemetryTags.RenewLease, _provider.Runs.RenewLease, _provider.SingleRow?.RenewLease, parameters, RunEventKinds.LeaseRenewed, null, cancellationToken)
            .ConfigureAwait(false);
        return Renewed(claim, stored);
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

        var text = message is null ? result.ToString() : $"{result}: {message}";
        var stored = await FinishAsync(claim, TelemetryTags.Complete, result, RunEventKinds.StoryCompleted, text, cancellationToken).ConfigureAwait(false);
        return stored.Version;
    }

    public Task ReleaseAsync(StoryClaim claim, CancellationToken cancellationToken = default)
    {
        ClaimArguments.CheckClaim(claim);
        return FinishAsync(claim, TelemetryTags.Release, StoryStatus.Ready, RunEventKinds.StoryReleased, "released", cancellationToken);
    }

    private Task<StoredTransition> FinishAsync(StoryClaim claim, string operation, StoryStatus status, string kind, string message, CancellationToken cancellationToken)
    {
        var parameters = _provider.Clock.AddParameters(
            new DynamicParameters(new
            {
                Id = claim.StoryId,
                Worker = claim.WorkerId,
                claim.Version,
                InProgress = (short)StoryStatus.InProgress,
                Status = (short)status,
            }),
            Now(),
            lease: null);
        return TransitionAsync(claim, operation, _provider.Runs.FinishClaim, _provider.SingleRow?.FinishClaim, parameters, kind, message, cancellationToken);
    }

    /// <summary>
    /// Runs a lease transition and its log entry atomically (one statement when the provider has the form, else two in
    /// one transaction), or explains why the lease is lost. <paramref name="message"/> null: the renewal's
    /// <c>lease until {expiry:O}</c>, written from the stored expiry.
    /// </summary>
    private async Task<StoredTransition> TransitionAsync(
        StoryClaim claim, string operation, string sql, string? oneStatement, DynamicParameters parameters, string kind, string? message, CancellationToken cancellationToken)
    {
        var diagnostics = _provider.Diagnostics;
        var telemetry = diagnostics.Start(operation, _stories.TableName);
        try
        {
            var stored = oneStatement is null
                ? await TransitionCoreAsync(claim, sql, parameters, kind, message, cancellationToken).ConfigureAwait(false)
                : await OneStatementTransitionAsync(claim, oneStatement, parameters, kind, message, cancellationToken).ConfigureAwait(false);
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

    private async Task<StoredTransition> TransitionCoreAsync(
        StoryClaim claim, string sql, DynamicParameters parameters, string kind, string? message, CancellationToken cancellationToken)
    {
        var scope = await _scopes.BeginAsync(write: true, cancellationToken).ConfigureAwait(false);
        await using var scopeDisposal = scope.ConfigureAwait(false);
        StoredTransition? stored = null;
        var reader = await scope.Connection.ExecuteReaderAsync(_stories.Command(sql, parameters, scope, cancellationToken)).ConfigureAwait(false);
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
            throw new LeaseLostException(claim.StoryId, claim.WorkerId, await ExplainAsync(scope, claim, cancellationToken).ConfigureAwait(false));
        }

        // The entry's time is the change's updated_at as stored, so the log and the row agree whichever clock wrote it.
        var entry = Event(claim.Story, claim.WorkerId, kind, message ?? $"lease until {stored.LeaseExpiresAt:O}", stored.UpdatedAt);
        var values = new
        {
            EventId = entry.Id,
            entry.RunId,
            entry.StoryId,
            entry.CardId,
            entry.Kind,
            entry.Message,
            entry.Worker,
            entry.OccurredAt,
        };
        await scope.Connection.ExecuteAsync(_stories.Command(_provider.Runs.InsertEvent, values, scope, cancellationToken)).ConfigureAwait(false);
        await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    private async Task<string> ExplainAsync(OperationScope scope, StoryClaim claim, CancellationToken cancellationToken)
    {
        var parameters = _provider.Clock.AddParameters(new DynamicParameters(new { Id = claim.StoryId }), Now(), lease: null);
        var reader = await scope.Connection.ExecuteReaderAsync(
            _stories.Command(_provider.Runs.InspectClaim, parameters, scope, cancellationToken)).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? LeaseExplanation.Read(reader, 0, claim) : LeaseExplanation.Missing;
    }

    private static RunEvent Event(Story story, string worker, string kind, string message, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
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
