using Npgsql;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.PostgreSql;
using RunEngine.Data.StatusChanges;
using Xunit.Abstractions;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// Counted on the wire (<see cref="PgWireCounter"/>): a single-row change on a connection of the library's own is one
/// round trip (one Sync, no simple Query: no DISCARD ALL, BEGIN or COMMIT), on the first call and on every later one.
/// </summary>
public sealed class PostgreSqlRoundTripTests : IClassFixture<PostgreSqlFixture>, IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly PostgreSqlFixture _fixture;
    private readonly ITestOutputHelper _output;
    private PgWireCounter? _counter;

    public PostgreSqlRoundTripTests(PostgreSqlFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    public void Dispose() => _counter?.Dispose();

    [SkippableFact]
    public async Task SingleRowCalls_LibraryOwnedConnection_OneRoundTripEachAndNoPoolReset()
    {
        await using var db = Relayed(out var counter);
        var (story, cards) = await TestData.WriteStoryAsync(db, 2);

        var counts = new List<(string Call, IReadOnlyList<(char Type, string Text)> Messages)>();
        async Task<T> Count<T>(string call, Func<Task<T>> action)
        {
            counter.Start();
            var result = await action();
            counts.Add((call, counter.Stop()));
            return result;
        }

        var claim = (await db.Claims.ClaimAsync(story.RunId, "w1", 1, Lease)).Single();
        await Count("Cards.UpdateStatusAsync (1st)", () => db.Cards.UpdateStatusAsync(cards[0].Id, CardStatus.InProgress, 1));
        await Count("Cards.UpdateStatusAsync (2nd)", () => db.Cards.UpdateStatusAsync(cards[1].Id, CardStatus.InProgress, 1));
        claim = await Count("Claims.RenewAsync", () => db.Claims.RenewAsync(claim, Lease));
        claim = await Count("Claims.RenewAsync (2nd)", () => db.Claims.RenewAsync(claim, Lease));
        await Count("Claims.ReleaseAsync", async () => { await db.Claims.ReleaseAsync(claim); return 0; });
        claim = (await db.Claims.ClaimAsync(story.RunId, "w1", 1, Lease)).Single();
        var completed = await Count("Claims.CompleteAsync", () => db.Claims.CompleteAsync(claim, StoryStatus.Completed, "done"));
        await Count("Stories.UpdateStatusAsync", () => db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Ready, completed));
        await Count("Stories.UpdateStatusAsync (2nd)", () => db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Cancelled, completed + 1));

        foreach (var (call, messages) in counts)
        {
            _output.WriteLine($"{call}: {PgWireCounter.Describe(messages)}");
        }

        counts.Should().HaveCount(8).And.OnlyContain(c => PgWireCounter.RoundTrips(c.Messages) == 1, "each call is one Parse/Bind/Execute/Sync");
        counts.Should().OnlyContain(c => c.Messages.Count(m => m.Type == 'E') == 1, "one statement: the data-modifying CTE");
        counts.Should().OnlyContain(c => !c.Messages.Any(m => m.Text.Contains("DISCARD", StringComparison.OrdinalIgnoreCase)), "the library's pool skips the reset");
        counts.Should().OnlyContain(c => !c.Messages.Any(m => m.Type == 'Q'), "no BEGIN, COMMIT or DISCARD ALL");

        // Still correct: the cards, the story and the log entries are stored.
        (await db.Cards.GetAsync(cards[1].Id))!.Status.Should().Be(CardStatus.InProgress);
        (await db.Stories.GetAsync(story.Id))!.Status.Should().Be(StoryStatus.Cancelled);
        var log = await db.RunLog.GetByRunAsync(story.RunId).ToListAsync();
        log.Select(e => e.Kind).Where(k => k != RunEventKinds.CycleWritten).Should().Equal(
            RunEventKinds.StoryClaimed, RunEventKinds.CardStatusChanged, RunEventKinds.CardStatusChanged, RunEventKinds.LeaseRenewed,
            RunEventKinds.LeaseRenewed, RunEventKinds.StoryReleased, RunEventKinds.StoryClaimed, RunEventKinds.StoryCompleted,
            RunEventKinds.StoryStatusChanged, RunEventKinds.StoryStatusChanged);
    }

    [SkippableFact]
    public async Task SingleRowCalls_FailurePath_SecondRoundTripOnlyToExplain()
    {
        await using var db = Relayed(out var counter);
        var (story, cards) = await TestData.WriteStoryAsync(db, 1);
        var claim = (await db.Claims.ClaimAsync(story.RunId, "w1", 1, Lease)).Single();
        await db.Claims.RenewAsync(claim, Lease);

        counter.Start();
        await FluentActions.Awaiting(() => db.Claims.CompleteAsync(claim, StoryStatus.Completed)).Should().ThrowAsync<LeaseLostException>();
        var lost = counter.Stop();
        counter.Start();
        await FluentActions.Awaiting(() => db.Cards.UpdateStatusAsync(cards[0].Id, CardStatus.Completed, 7)).Should().ThrowAsync<ConcurrencyConflictException>();
        var conflict = counter.Stop();

        _output.WriteLine($"lost lease: {PgWireCounter.Describe(lost)}; version conflict: {PgWireCounter.Describe(conflict)}");
        PgWireCounter.RoundTrips(lost).Should().Be(2, "the CTE, then the look-up that explains the lost lease");
        PgWireCounter.RoundTrips(conflict).Should().Be(2, "the CTE, then the version look-up");
    }

    [SkippableFact]
    public async Task SingleRowCalls_InSession_OneRoundTripEachInTheCallersTransaction()
    {
        await using var db = Relayed(out var counter);
        var (story, cards) = await TestData.WriteStoryAsync(db, 2);

        await using var session = await db.BeginSessionAsync();
        await session.Cards.UpdateStatusAsync(cards[0].Id, CardStatus.InProgress, 1);
        counter.Start();
        await session.Cards.UpdateStatusAsync(cards[1].Id, CardStatus.InProgress, 1);
        await session.Stories.UpdateStatusAsync(story.Id, StoryStatus.Ready, 1);
        var messages = counter.Stop();
        await session.CommitAsync();

        _output.WriteLine($"two calls in a session: {PgWireCounter.Describe(messages)}");
        PgWireCounter.RoundTrips(messages).Should().Be(2, "one statement per call, no savepoint, in the session's transaction");
        messages.Should().NotContain(m => m.Type == 'Q');
        (await db.Cards.GetAsync(cards[1].Id))!.Version.Should().Be(2);
    }

    [SkippableFact]
    public async Task BatchCalls_SmallBatches_RoundTripsAreRecorded()
    {
        // Not asserted beyond "constant": recorded for the report (what the batch calls cost per call today).
        await using var db = Relayed(out var counter);
        var (story, cards) = await TestData.WriteStoryAsync(db, 3);
        var others = Enumerable.Range(1, 2).Select(i => TestData.Story(story.RunId, i, StoryStatus.Ready)).ToList();
        await db.Stories.AddRangeAsync(others);

        counter.Start();
        await db.Cards.UpdateStatusesAsync(cards.Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.InProgress)));
        var statuses = counter.Stop();
        counter.Start();
        await db.Cards.UpdateStatusByStoryAsync([story.Id], [CardStatus.InProgress], CardStatus.Completed);
        var byStory = counter.Stop();
        var claims = await db.Claims.ClaimAsync(story.RunId, "w1", 3, Lease);
        counter.Start();
        await db.Claims.CompleteManyAsync(claims.Select(c => new ClaimCompletion(c, StoryStatus.Completed)));
        var completeMany = counter.Stop();

        foreach (var (call, messages) in new[] { ("UpdateStatusesAsync (3 cards)", statuses), ("UpdateStatusByStoryAsync (1 story)", byStory), ("CompleteManyAsync (3 claims)", completeMany) })
        {
            _output.WriteLine($"{call}: {PgWireCounter.Describe(messages)}");
            messages.Should().NotContain(m => m.Text.Contains("DISCARD", StringComparison.OrdinalIgnoreCase), call);
        }
    }

    [SkippableFact]
    public async Task LeaseBatchCalls_LibraryOwnedConnection_OneRoundTripEachWithTheirEntries()
    {
        await using var db = Relayed(out var counter);
        var (story, _) = await TestData.WriteStoryAsync(db, 1);
        var others = Enumerable.Range(1, 3).Select(i => TestData.Story(story.RunId, i, StoryStatus.Ready)).ToList();
        await db.Stories.AddRangeAsync(others);
        var claims = (await db.Claims.ClaimAsync(story.RunId, "w1", 10, Lease)).ToArray();
        claims.Should().HaveCount(4);

        counter.Start();
        var renewed = await db.Claims.RenewManyAsync(claims, Lease);
        var renew = counter.Stop();
        var held = renewed.Outcomes.Select(o => o.Renewed!).ToArray();
        counter.Start();
        var completed = await db.Claims.CompleteManyAsync(held.Take(2).Select(c => new ClaimCompletion(c, StoryStatus.Completed, "done")));
        var complete = counter.Stop();
        counter.Start();
        var released = await db.Claims.ReleaseManyAsync(held.Skip(2));
        var release = counter.Stop();

        foreach (var (call, messages) in new[] { ("RenewManyAsync (4 claims)", renew), ("CompleteManyAsync (2 claims)", complete), ("ReleaseManyAsync (2 claims)", release) })
        {
            _output.WriteLine($"{call}: {PgWireCounter.Describe(messages)}");
            PgWireCounter.RoundTrips(messages).Should().Be(1, call);
            messages.Count(m => m.Type == 'E').Should().Be(2, $"{call}: the ordered row locks and the data-modifying CTE");
            messages.Should().NotContain(m => m.Type == 'Q', $"{call}: no BEGIN, COMMIT or DISCARD ALL");
        }

        renewed.Succeeded.Should().Be(4);
        completed.Succeeded.Should().Be(2);
        released.Succeeded.Should().Be(2);

        // The entries as the transaction form wrote them: one per claim, in the order passed, the stored time and lease.
        var log = await db.RunLog.GetByRunAsync(story.RunId).ToListAsync();
        var renewals = log.Where(e => e.Kind == RunEventKinds.LeaseRenewed).ToList();
        renewals.Select(e => e.StoryId).Should().Equal(claims.Select(c => (Guid?)c.StoryId));
        renewals.Select(e => e.Message).Should().Equal(held.Select(c => $"lease until {c.LeaseExpiresAt:O}"));
        renewals.Should().OnlyContain(e => e.Worker == "w1" && e.CardId == null);
        log.Where(e => e.Kind == RunEventKinds.StoryCompleted).Select(e => (e.StoryId, e.Message))
            .Should().Equal(held.Take(2).Select(c => ((Guid?)c.StoryId, (string?)"Completed: done")));
        log.Where(e => e.Kind == RunEventKinds.StoryReleased).Select(e => (e.StoryId, e.Message))
            .Should().Equal(held.Skip(2).Select(c => ((Guid?)c.StoryId, (string?)"released")));
        foreach (var claim in held)
        {
            var stored = (await db.Stories.GetAsync(claim.StoryId))!;
            log.Last(e => e.StoryId == claim.StoryId).OccurredAt.Should().Be(stored.UpdatedAt);
            stored.Version.Should().Be(claim.Version + 1);
        }
    }

    [SkippableFact]
    public async Task WorkerBatchCalls_LibraryOwnedConnection_ClaimAndByStoryOneRoundTripEach()
    {
        await using var db = Relayed(out var counter);
        var (story, cards) = await TestData.WriteStoryAsync(db, 3);
        var others = Enumerable.Range(1, 2).Select(i => TestData.Story(story.RunId, i, StoryStatus.Ready)).ToList();
        await db.WriteCycleAsync(others, others.SelectMany(o => Enumerable.Range(0, 2).Select(i => TestData.Card(o, i))).ToList());

        counter.Start();
        var claims = await db.Claims.ClaimAsync(story.RunId, "w1", 10, Lease);
        var claim = counter.Stop();
        counter.Start();
        var started = await db.Cards.UpdateStatusByStoryAsync(claims.Select(c => c.StoryId), [CardStatus.Pending], CardStatus.InProgress);
        var byStory = counter.Stop();
        counter.Start();
        var none = await db.Claims.ClaimAsync(story.RunId, "w2", 10, Lease);
        var empty = counter.Stop();

        foreach (var (call, messages) in new[] { ("ClaimAsync (3 stories)", claim), ("UpdateStatusByStoryAsync (3 stories)", byStory), ("ClaimAsync (none left)", empty) })
        {
            _output.WriteLine($"{call}: {PgWireCounter.Describe(messages)}");
            PgWireCounter.RoundTrips(messages).Should().Be(1, call);
            messages.Count(m => m.Type == 'E').Should().Be(1, $"{call}: one statement, the data-modifying CTE");
            messages.Should().NotContain(m => m.Type == 'Q', $"{call}: no BEGIN, COMMIT or DISCARD ALL");
        }

        claims.Select(c => c.StoryId).Should().Equal(new[] { story }.Concat(others).Select(s => s.Id), "in position order");
        none.Should().BeEmpty();
        started.Should().Be(7);
        (await db.Cards.GetByStoryAsync(story.Id).ToListAsync()).Should().OnlyContain(c => c.Status == CardStatus.InProgress && c.Version == 2);

        // The entries as the two-statement form wrote them: one per claimed story, its worker, time and lease.
        var log = await db.RunLog.GetByRunAsync(story.RunId).ToListAsync();
        var claimed = log.Where(e => e.Kind == RunEventKinds.StoryClaimed).ToList();
        claimed.Select(e => e.StoryId).Should().Equal(claims.Select(c => (Guid?)c.StoryId));
        claimed.Should().OnlyContain(e => e.Worker == "w1" && e.CardId == null);
        claimed.Select(e => e.Message).Should().Equal(claims.Select(c => $"lease until {c.LeaseExpiresAt:O}"));
        claimed.Select(e => e.Id).Should().OnlyHaveUniqueItems().And.BeInAscendingOrder();
        foreach (var (entry, granted) in claimed.Zip(claims))
        {
            entry.OccurredAt.Should().Be((await db.Stories.GetAsync(granted.StoryId))!.UpdatedAt);
        }

        log.Count(e => e.Kind == RunEventKinds.CardStatusChanged).Should().Be(7);
    }

    [SkippableFact]
    public async Task WorkerBatchCalls_InSession_RunInTheCallersTransaction()
    {
        await using var db = Relayed(out var counter);
        var (story, _) = await TestData.WriteStoryAsync(db, 2);

        await using var session = await db.BeginSessionAsync();
        await session.Stories.GetAsync(story.Id);
        counter.Start();
        var claims = await session.Claims.ClaimAsync(story.RunId, "w1", 10, Lease);
        var claim = counter.Stop();
        counter.Start();
        await session.Cards.UpdateStatusByStoryAsync([story.Id], [CardStatus.Pending], CardStatus.InProgress);
        var byStory = counter.Stop();
        await session.RollbackAsync();

        _output.WriteLine($"ClaimAsync in a session: {PgWireCounter.Describe(claim)}; UpdateStatusByStoryAsync in a session: {PgWireCounter.Describe(byStory)}");
        claims.Should().ContainSingle();
        PgWireCounter.RoundTrips(claim).Should().Be(1, "the one statement, in the session's transaction");
        claim.Should().NotContain(m => m.Type == 'Q');
        byStory.Should().Contain(m => m.Type == 'Q' && m.Text.StartsWith("SAVEPOINT", StringComparison.Ordinal), "unchanged: undone to its savepoint on failure");
        byStory.Should().NotContain(m => m.Text.StartsWith("BEGIN", StringComparison.Ordinal) || m.Text.StartsWith("COMMIT", StringComparison.Ordinal));

        // Rolled back with the session: nothing claimed, nothing logged.
        (await db.Stories.GetAsync(story.Id))!.Status.Should().Be(StoryStatus.Ready);
        (await db.RunLog.GetByRunAsync(story.RunId).ToListAsync()).Should().NotContain(e => e.Kind == RunEventKinds.StoryClaimed);
    }

    [SkippableFact]
    public async Task Create_ConnectionStringSetsNoResetOnCloseFalse_KeepsThePoolReset()
    {
        await using var db = Relayed(out var counter, "No Reset On Close=false");
        var (_, cards) = await TestData.WriteStoryAsync(db, 1);

        counter.Start();
        await db.Cards.UpdateStatusAsync(cards[0].Id, CardStatus.InProgress, 1);
        var messages = counter.Stop();

        messages.Should().Contain(m => m.Type == 'Q' && m.Text.StartsWith("DISCARD ALL", StringComparison.Ordinal), "the caller's connection string decides");
    }

    [SkippableFact]
    public async Task BeginSessionAsync_StateTheCallerLeftOnTheConnection_DoesNotReachTheNextSession()
    {
        await using var db = Relayed(out _);
        string Timeout(NpgsqlConnection connection) => (string)new NpgsqlCommand("SHOW statement_timeout", connection).ExecuteScalar()!;

        string before;
        await using (var session = await db.BeginSessionAsync())
        {
            var connection = (NpgsqlConnection)session.Connection;
            before = Timeout(connection);
            await using var set = new NpgsqlCommand("SET SESSION statement_timeout = 4321", connection, (NpgsqlTransaction)session.Transaction!);
            await set.ExecuteNonQueryAsync();
            await session.CommitAsync();
        }

        await using (var next = await db.BeginSessionAsync())
        {
            // One connection in the sessions' pool: the next session gets the same one, reset.
            Timeout((NpgsqlConnection)next.Connection).Should().Be(before, "sessions come from a pool that keeps Npgsql's reset");
        }
    }

    [SkippableFact]
    public async Task RepeatedCall_LibraryOwnedConnection_PreparedAutomaticallyWithoutAnExtraRoundTrip()
    {
        await using var db = Relayed(out var counter);
        var calls = await RepeatUpdateStatusAsync(db, counter, times: 8, inSession: false);

        calls.Should().OnlyContain(c => PgWireCounter.RoundTrips(c) == 1 && c.Count(m => m.Type == 'E') == 1, "preparing never costs a round trip");
        calls.Take(4).Should().OnlyContain(c => c.Count(m => m.Type == 'P') == 1, "a text is parsed each time until its fifth use");
        calls.Skip(5).Should().OnlyContain(c => !c.Any(m => m.Type == 'P'), "prepared at its fifth use: later calls only bind and execute");
    }

    [SkippableFact]
    public async Task RepeatedCall_MaxAutoPrepareZeroInConnectionString_ParsedEveryTime()
    {
        await using var db = Relayed(out var counter, "Max Auto Prepare=0");
        var calls = await RepeatUpdateStatusAsync(db, counter, times: 8, inSession: false);

        calls.Should().OnlyContain(c => PgWireCounter.RoundTrips(c) == 1 && c.Count(m => m.Type == 'P') == 1, "the connection string's setting wins");
    }

    [SkippableFact]
    public async Task RepeatedCall_InSession_NotPreparedBehindTheCallersBack()
    {
        await using var db = Relayed(out var counter);
        var calls = await RepeatUpdateStatusAsync(db, counter, times: 8, inSession: true);

        calls.Should().OnlyContain(c => c.Count(m => m.Type == 'P') == 1, "a session's pool keeps the connection string's settings (the first call also sends the BEGIN)");
    }

    /// <summary>The same single-row change <paramref name="times"/> times (each on a card of its own), the messages of each call.</summary>
    private static async Task<List<IReadOnlyList<(char Type, string Text)>>> RepeatUpdateStatusAsync(RunEngineDatabase db, PgWireCounter counter, int times, bool inSession)
    {
        var (_, cards) = await TestData.WriteStoryAsync(db, times);
        var calls = new List<IReadOnlyList<(char Type, string Text)>>();
        await using var session = inSession ? await db.BeginSessionAsync() : null;
        foreach (var card in cards)
        {
            counter.Start();
            var version = session is null
                ? await db.Cards.UpdateStatusAsync(card.Id, CardStatus.InProgress, 1)
                : await session.Cards.UpdateStatusAsync(card.Id, CardStatus.InProgress, 1);
            calls.Add(counter.Stop());
            version.Should().Be(2);
        }

        if (session is not null)
        {
            await session.CommitAsync();
        }

        return calls;
    }

    /// <summary>A database of the library's own making (<see cref="PostgreSqlDatabase.Create(string, PostgreSqlOptions?)"/>, the database clock) through the relay.</summary>
    private RunEngineDatabase Relayed(out PgWireCounter counter, string? extra = null)
    {
        _fixture.SkipIfUnavailable();
        _counter ??= PgWireCounter.For(_fixture.ConnectionString);
        counter = _counter;
        var connectionString = counter.Relay(_fixture.ConnectionString) + (extra is null ? string.Empty : ";" + extra);
        return PostgreSqlDatabase.Create(connectionString, new PostgreSqlOptions { TimeProvider = _fixture.Time });
    }
}
