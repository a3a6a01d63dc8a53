using System.Globalization;
using Dapper;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Faults;

/// <summary>
/// One operation of the fault matrix on rows of its own run: seeds what it needs through the fixture's direct database,
/// runs the operation through the proxied one, and reads the database directly to tell whether the operation's change
/// is stored exactly once ("all"), not at all ("none"), or neither (half-written or doubled).
/// </summary>
public sealed class MatrixScenario
{
    /// <summary>The worker of the claims.</summary>
    public const string Worker = "fault-worker";

    private const int CycleStories = 60;
    private const int CardsPerStory = 5;
    private const int ReadyStories = 10;
    private const int Claimed = 5;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly ProviderFixture _fixture;
    private readonly Guid _runId = TestData.NewRunId();
    private List<Story> _stories = [];
    private List<Card> _cards = [];
    private IReadOnlyList<StoryClaim> _claims = [];

    public MatrixScenario(ProviderFixture fixture, FaultOperation operation)
    {
        _fixture = fixture;
        Operation = operation;
    }

    public FaultOperation Operation { get; }

    private RunEngineDatabase Direct => _fixture.Database;

    /// <summary>Writes what the operation works on (nothing for a cycle), through the fixture's own database.</summary>
    public async Task SeedAsync()
    {
        switch (Operation)
        {
            case FaultOperation.CycleFail:
            case FaultOperation.CycleSkip:
                _stories = TestData.Stories(_runId, CycleStories).ToList();
                _cards = TestData.Cards(_stories, CardsPerStory);
                break;
            case FaultOperation.UpdateStatuses:
                _stories = TestData.Stories(_runId, CycleStories).ToList();
                _cards = TestData.Cards(_stories, CardsPerStory);
                await Direct.WriteCycleAsync(_stories, _cards);
                break;
            case FaultOperation.UpdateStatus:
                _stories = [TestData.Story(_runId, 0)];
                await Direct.Stories.AddRangeAsync(_stories);
                break;
            case FaultOperation.Claim:
                _stories = Enumerable.Range(0, ReadyStories).Select(i => TestData.Story(_runId, i, StoryStatus.Ready)).ToList();
                await Direct.Stories.AddRangeAsync(_stories);
                break;
            default:
                _stories = Enumerable.Range(0, Claimed).Select(i => TestData.Story(_runId, i, StoryStatus.Ready)).ToList();
                await Direct.Stories.AddRangeAsync(_stories);
                _claims = await Direct.Claims.ClaimAsync(_runId, Worker, Claimed, Lease);
                _claims.Should().HaveCount(Claimed, "the seed claims every story");
                break;
        }
    }

    /// <summary>Runs the operation on <paramref name="database"/> and checks that it returned what it returns without a fault.</summary>
    public async Task RunAndCheckResultAsync(RunEngineDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        switch (Operation)
        {
            case FaultOperation.CycleFail:
            case FaultOperation.CycleSkip:
                {
                    var options = new BulkInsertOptions { ExistingRows = Operation == FaultOperation.CycleSkip ? ExistingRows.Skip : ExistingRows.Fail };
                    var result = await database.WriteCycleAsync(_stories, _cards, options);
                    result.Stories.Should().Be(CycleStories);
                    result.Cards.Should().Be(CycleStories * CardsPerStory);
                    result.StoriesSkipped.Should().Be(0, "the call's own rows are not skipped as if someone else had written them");
                    result.CardsSkipped.Should().Be(0);
                    result.Events.Should().Be(1);
                    break;
                }

            case FaultOperation.UpdateStatuses:
                {
                    var result = await database.Cards.UpdateStatusesAsync(_cards.Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.Completed)).ToList());
                    result.Changed.Should().Be(_cards.Count);
                    result.Conflicts.Should().BeEmpty("a repeat recognises its own applied change");
                    result.Missing.Should().BeEmpty();
                    break;
                }

            case FaultOperation.UpdateStatus:
                (await database.Stories.UpdateStatusAsync(_stories[0].Id, StoryStatus.Ready, 1)).Should().Be(2);
                break;
            case FaultOperation.Claim:
                {
                    var claims = await database.Claims.ClaimAsync(_runId, Worker, Claimed, Lease);
                    claims.Should().HaveCount(Claimed);
                    claims.Should().OnlyContain(c => c.WorkerId == Worker && c.Version == 2);
                    _claims = claims;
                    break;
                }

            default:
                {
                    var result = await database.Claims.CompleteManyAsync(_claims.Select(c => new ClaimCompletion(c, StoryStatus.Completed)).ToList());
                    result.Succeeded.Should().Be(Claimed);
                    result.Lost.Should().BeEmpty("a repeat recognises its own completion, not a lost lease");
                    break;
                }
        }
    }

    /// <summary>Runs the operation on <paramref name="database"/>, result unchecked (the call is expected to fail).</summary>
    public async Task RunAsync(RunEngineDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        switch (Operation)
        {
            case FaultOperation.CycleFail:
            case FaultOperation.CycleSkip:
                await database.WriteCycleAsync(_stories, _cards, new BulkInsertOptions { ExistingRows = Operation == FaultOperation.CycleSkip ? ExistingRows.Skip : ExistingRows.Fail });
                break;
            case FaultOperation.UpdateStatuses:
                await database.Cards.UpdateStatusesAsync(_cards.Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.Completed)).ToList());
                break;
            case FaultOperation.UpdateStatus:
                await database.Stories.UpdateStatusAsync(_stories[0].Id, StoryStatus.Ready, 1);
                break;
            case FaultOperation.Claim:
                _claims = await database.Claims.ClaimAsync(_runId, Worker, Claimed, Lease);
                break;
            default:
                await database.Claims.CompleteManyAsync(_claims.Select(c => new ClaimCompletion(c, StoryStatus.Completed)).ToList());
                break;
        }
    }

    /// <summary>What the database holds of the operation's change: <see cref="StoredChange.All"/>, <see cref="StoredChange.None"/>, or a description of anything else.</summary>
    public async Task<StoredChange> ReadAsync()
    {
        var tables = Direct.Provider.Tables;
        await using var connection = await _fixture.OpenConnectionAsync();
        var run = new { runId = _runId };
        Task<long> Count(string sql, object? parameters = null) => connection.ExecuteScalarAsync<long>(sql, parameters ?? run);
        Task<long> Log(string kind) => Count($"SELECT COUNT(*) FROM {tables.RunLog} WHERE run_id = @runId AND kind = @kind", new { runId = _runId, kind });

        switch (Operation)
        {
            case FaultOperation.CycleFail:
            case FaultOperation.CycleSkip:
                {
                    var stories = await Count($"SELECT COUNT(*) FROM {tables.Stories} WHERE run_id = @runId");
                    var cards = await Count($"SELECT COUNT(*) FROM {tables.Cards} WHERE run_id = @runId");
                    var log = await Log(RunEventKinds.CycleWritten);
                    return Classify((stories, cards, log), (CycleStories, CycleStories * CardsPerStory, 1L), (0L, 0L, 0L), "stories, cards, cycle.written entries");
                }

            case FaultOperation.UpdateStatuses:
                {
                    var changed = await Count($"SELECT COUNT(*) FROM {tables.Cards} WHERE run_id = @runId AND version = 2 AND status = {(int)CardStatus.Completed}");
                    var untouched = await Count($"SELECT COUNT(*) FROM {tables.Cards} WHERE run_id = @runId AND version = 1 AND status = {(int)CardStatus.Pending}");
                    var log = await Log(RunEventKinds.CardStatusChanged);
                    long all = _cards.Count;
                    return Classify((changed, untouched, log), (all, 0L, all), (0L, all, 0L), "cards changed to version 2, cards untouched at version 1, card.status entries");
                }

            case FaultOperation.UpdateStatus:
                {
                    var changed = await Count($"SELECT COUNT(*) FROM {tables.Stories} WHERE run_id = @runId AND version = 2 AND status = {(int)StoryStatus.Ready}");
                    var untouched = await Count($"SELECT COUNT(*) FROM {tables.Stories} WHERE run_id = @runId AND version = 1 AND status = {(int)StoryStatus.Pending}");
                    var log = await Log(RunEventKinds.StoryStatusChanged);
                    return Classify((changed, untouched, log), (1L, 0L, 1L), (0L, 1L, 0L), "story at version 2, story untouched, story.status entries");
                }

            case FaultOperation.Claim:
                {
                    var leased = await Count($"SELECT COUNT(*) FROM {tables.Stories} WHERE run_id = @runId AND claimed_by = @worker AND version = 2 AND status = {(int)StoryStatus.InProgress}", new { runId = _runId, worker = Worker });
                    var untouched = await Count($"SELECT COUNT(*) FROM {tables.Stories} WHERE run_id = @runId AND claimed_by IS NULL AND version = 1 AND status = {(int)StoryStatus.Ready}");
                    var log = await Log(RunEventKinds.StoryClaimed);
                    return Classify((leased, untouched, log), ((long)Claimed, (long)(ReadyStories - Claimed), (long)Claimed), (0L, (long)ReadyStories, 0L), "stories leased at version 2, stories untouched, story.claimed entries");
                }

            default:
                {
                    var done = await Count($"SELECT COUNT(*) FROM {tables.Stories} WHERE run_id = @runId AND claimed_by IS NULL AND version = 3 AND status = {(int)StoryStatus.Completed}");
                    var held = await Count($"SELECT COUNT(*) FROM {tables.Stories} WHERE run_id = @runId AND claimed_by = @worker AND version = 2 AND status = {(int)StoryStatus.InProgress}", new { runId = _runId, worker = Worker });
                    var log = await Log(RunEventKinds.StoryCompleted);
                    return Classify((done, held, log), ((long)Claimed, 0L, (long)Claimed), (0L, (long)Claimed, 0L), "stories completed at version 3, claims still held at version 2, story.completed entries");
                }
        }
    }

    /// <summary>Ids of the stories leased to <see cref="Worker"/> now (a claim's result must name exactly these).</summary>
    public async Task<IReadOnlyList<Guid>> LeasedAsync()
    {
        await using var connection = await _fixture.OpenConnectionAsync();
        return [.. await connection.QueryAsync<Guid>(
            $"SELECT id FROM {Direct.Provider.Tables.Stories} WHERE run_id = @runId AND claimed_by = @worker", new { runId = _runId, worker = Worker })];
    }

    /// <summary>The stories the last claim returned.</summary>
    public IReadOnlyList<Guid> ClaimedIds => [.. _claims.Select(c => c.StoryId)];

    private static StoredChange Classify((long, long, long) actual, (long, long, long) all, (long, long, long) none, string what) =>
        actual == all ? StoredChange.All
        : actual == none ? StoredChange.None
        : new StoredChange(string.Create(CultureInfo.InvariantCulture, $"half-written or doubled: {what} = {actual}; all = {all}, none = {none}"));
}
