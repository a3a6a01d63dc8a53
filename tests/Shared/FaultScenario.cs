using System.Data.Common;
using System.Globalization;
using Dapper;

namespace RunEngine.Data.Testing;

/// <summary>
/// One operation of the fault matrix on rows of its own run, shared by the integration tests' matrix and the perf
/// runner's fault workload: seeds what the operation needs through a direct database, runs the operation through a
/// proxied one, checks its result against what it returns without a fault, and counts what the database holds of it
/// (<see cref="FaultTally"/>) through direct connections.
/// </summary>
public sealed class FaultScenario
{
    /// <summary>The worker of the claims.</summary>
    public const string Worker = "fault-worker";

    private const int CycleStories = 60;
    private const int CardsPerStory = 5;
    private const int ReadyStories = 10;
    private const int Claimed = 5;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly RunEngineDatabase _direct;
    private readonly Func<Task<DbConnection>> _open;
    private readonly Guid _runId = Guid.CreateVersion7();
    private List<Story> _stories = [];
    private List<Card> _cards = [];
    private IReadOnlyList<StoryClaim> _claims = [];

    /// <param name="direct">A database on the same server not through the proxy (for the seed).</param>
    /// <param name="open">Opens a direct connection (for the counts).</param>
    /// <param name="operation">The operation.</param>
    public FaultScenario(RunEngineDatabase direct, Func<Task<DbConnection>> open, FaultOperation operation)
    {
        _direct = direct;
        _open = open;
        Operation = operation;
    }

    public FaultOperation Operation { get; }

    /// <summary>The stories the last claim returned.</summary>
    public IReadOnlyList<Guid> ClaimedIds => [.. _claims.Select(c => c.StoryId)];

    /// <summary>Writes what the operation works on (nothing for a cycle) through the direct database.</summary>
    public async Task SeedAsync()
    {
        switch (Operation)
        {
            case FaultOperation.CycleFail:
            case FaultOperation.CycleSkip:
                _stories = Stories(CycleStories, StoryStatus.Pending);
                _cards = Cards(_stories);
                break;
            case FaultOperation.UpdateStatuses:
                _stories = Stories(CycleStories, StoryStatus.Pending);
                _cards = Cards(_stories);
                await _direct.WriteCycleAsync(_stories, _cards);
                break;
            case FaultOperation.UpdateStatus:
                _stories = Stories(1, StoryStatus.Pending);
                await _direct.Stories.AddRangeAsync(_stories);
                break;
            case FaultOperation.Claim:
                _stories = Stories(ReadyStories, StoryStatus.Ready);
                await _direct.Stories.AddRangeAsync(_stories);
                break;
            default:
                _stories = Stories(Claimed, StoryStatus.Ready);
                await _direct.Stories.AddRangeAsync(_stories);
                _claims = await _direct.Claims.ClaimAsync(_runId, Worker, Claimed, Lease);
                if (_claims.Count != Claimed)
                {
                    throw new InvalidOperationException($"The seed claimed {_claims.Count} stories, not {Claimed}.");
                }

                break;
        }
    }

    /// <summary>
    /// Runs the operation on <paramref name="database"/>; returns null when it returned what it returns without a fault,
    /// else what differed.
    /// </summary>
    public async Task<string?> RunAsync(RunEngineDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        switch (Operation)
        {
            case FaultOperation.CycleFail:
            case FaultOperation.CycleSkip:
                {
                    var options = new BulkInsertOptions { ExistingRows = Operation == FaultOperation.CycleSkip ? ExistingRows.Skip : ExistingRows.Fail };
                    var result = await database.WriteCycleAsync(_stories, _cards, options);
                    return result is { Stories: CycleStories, Cards: CycleStories * CardsPerStory, StoriesSkipped: 0, CardsSkipped: 0, Events: 1 }
                        ? null
                        : Invariant($"the cycle returned {result.Stories} stories, {result.Cards} cards, {result.StoriesSkipped}/{result.CardsSkipped} skipped, {result.Events} events");
                }

            case FaultOperation.UpdateStatuses:
                {
                    var result = await database.Cards.UpdateStatusesAsync(_cards.Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.Completed)).ToList());
                    return result.Changed == _cards.Count && result.AllApplied
                        ? null
                        : Invariant($"the change returned {result.Changed} changed, {result.Conflicts.Count} conflicts, {result.Missing.Count} missing");
                }

            case FaultOperation.UpdateStatus:
                {
                    var version = await database.Stories.UpdateStatusAsync(_stories[0].Id, StoryStatus.Ready, 1);
                    return version == 2 ? null : Invariant($"the change returned version {version}");
                }

            case FaultOperation.Claim:
                {
                    _claims = await database.Claims.ClaimAsync(_runId, Worker, Claimed, Lease);
                    if (_claims.Count != Claimed || _claims.Any(c => c.WorkerId != Worker || c.Version != 2))
                    {
                        return Invariant($"the claim returned {_claims.Count} claims, versions {string.Join(",", _claims.Select(c => c.Version))}");
                    }

                    var leased = await LeasedAsync();
                    return leased.Order().SequenceEqual(ClaimedIds.Order())
                        ? null
                        : Invariant($"{leased.Count} stories are leased to the worker, the claim returned {_claims.Count} (a lease not in the result is lost)");
                }

            default:
                {
                    var result = await database.Claims.CompleteManyAsync(_claims.Select(c => new ClaimCompletion(c, StoryStatus.Completed)).ToList());
                    return result.Succeeded == Claimed && result.Lost.Count == 0
                        ? null
                        : Invariant($"the completion returned {result.Succeeded} succeeded, {result.Lost.Count} lost ({string.Join("; ", result.Lost.Select(l => l.LostReason))})");
                }
        }
    }

    /// <summary>Counts what the database holds of the operation's change.</summary>
    public async Task<FaultTally> ReadAsync()
    {
        var tables = _direct.Provider.Tables;
        await using var connection = await _open();
        Task<long> Count(string where, object? parameters = null) =>
            connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {where}", parameters ?? new { runId = _runId, worker = Worker });
        Task<long> Log(string kind) =>
            connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {tables.RunLog} WHERE run_id = @runId AND kind = @kind", new { runId = _runId, kind });
        var stories = tables.Stories;
        var cards = tables.Cards;

        switch (Operation)
        {
            case FaultOperation.CycleFail:
            case FaultOperation.CycleSkip:
                {
                    long rows = CycleStories + (CycleStories * CardsPerStory);
                    var stored = await Count($"{stories} WHERE run_id = @runId") + await Count($"{cards} WHERE run_id = @runId");
                    return new FaultTally(rows, Math.Min(stored, rows), 0, 0, 0, await Log(RunEventKinds.CycleWritten), 1, Math.Max(0, stored - rows));
                }

            case FaultOperation.UpdateStatuses:
                {
                    long all = _cards.Count;
                    var changed = await Count($"{cards} WHERE run_id = @runId AND version = 2 AND status = {(int)CardStatus.Completed}");
                    var untouched = await Count($"{cards} WHERE run_id = @runId AND version = 1 AND status = {(int)CardStatus.Pending}");
                    var beyond = await Count($"{cards} WHERE run_id = @runId AND version > 2");
                    return new FaultTally(all, changed, untouched, all, 0, await Log(RunEventKinds.CardStatusChanged), all, beyond);
                }

            case FaultOperation.UpdateStatus:
                {
                    var changed = await Count($"{stories} WHERE run_id = @runId AND version = 2 AND status = {(int)StoryStatus.Ready}");
                    var untouched = await Count($"{stories} WHERE run_id = @runId AND version = 1 AND status = {(int)StoryStatus.Pending}");
                    var beyond = await Count($"{stories} WHERE run_id = @runId AND version > 2");
                    return new FaultTally(1, changed, untouched, 1, 0, await Log(RunEventKinds.StoryStatusChanged), 1, beyond);
                }

            case FaultOperation.Claim:
                {
                    var leased = await Count($"{stories} WHERE run_id = @runId AND claimed_by = @worker AND version = 2 AND status = {(int)StoryStatus.InProgress}");
                    var untouched = await Count($"{stories} WHERE run_id = @runId AND claimed_by IS NULL AND version = 1 AND status = {(int)StoryStatus.Ready}");
                    var beyond = await Count($"{stories} WHERE run_id = @runId AND (version > 2 OR (claimed_by IS NOT NULL AND claimed_by <> @worker))")
                        + Math.Max(0, leased - Claimed);
                    return new FaultTally(Claimed, Math.Min(leased, Claimed), untouched, ReadyStories, ReadyStories - Claimed, await Log(RunEventKinds.StoryClaimed), Claimed, beyond);
                }

            default:
                {
                    var done = await Count($"{stories} WHERE run_id = @runId AND claimed_by IS NULL AND version = 3 AND status = {(int)StoryStatus.Completed}");
                    var held = await Count($"{stories} WHERE run_id = @runId AND claimed_by = @worker AND version = 2 AND status = {(int)StoryStatus.InProgress}");
                    var beyond = await Count($"{stories} WHERE run_id = @runId AND version > 3");
                    return new FaultTally(Claimed, done, held, Claimed, 0, await Log(RunEventKinds.StoryCompleted), Claimed, beyond);
                }
        }
    }

    /// <summary>Ids of the stories leased to <see cref="Worker"/> now.</summary>
    public async Task<IReadOnlyList<Guid>> LeasedAsync()
    {
        await using var connection = await _open();
        return [.. await connection.QueryAsync<Guid>(
            $"SELECT id FROM {_direct.Provider.Tables.Stories} WHERE run_id = @runId AND claimed_by = @worker", new { runId = _runId, worker = Worker })];
    }

    private List<Story> Stories(int count, StoryStatus status) => Enumerable.Range(0, count).Select(i => new Story
    {
        Id = Guid.CreateVersion7(),
        RunId = _runId,
        Position = i,
        Title = Invariant($"Story {i}"),
        Body = "fault matrix",
        Status = status,
    }).ToList();

    private static List<Card> Cards(List<Story> stories) => stories.SelectMany(s => Enumerable.Range(0, CardsPerStory).Select(p => new Card
    {
        Id = Guid.CreateVersion7(),
        RunId = s.RunId,
        StoryId = s.Id,
        Position = p,
        Title = Invariant($"Card {p} of story {s.Position}"),
        Description = "fault matrix",
    })).ToList();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
