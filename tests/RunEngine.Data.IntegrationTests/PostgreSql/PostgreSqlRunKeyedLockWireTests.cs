using Npgsql;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.PostgreSql;
using RunEngine.Data.StatusChanges;
using Xunit.Abstractions;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// Counted on the wire (<see cref="PgWireCounter"/>) in the distributed mode (the run-keyed layout on plain PostgreSQL):
/// Citus takes row locks in single-shard statements only, so every statement sent with <c>FOR UPDATE</c> names one run
/// (<c>run_id = $n</c>, one value, never <c>= ANY(…)</c>), also for calls whose rows lie in several runs (those go one
/// run at a time in one transaction); and a call of one run sends exactly what the run-scoped form sends (after the
/// id-only form's look-up of the runs).
/// </summary>
public sealed class PostgreSqlRunKeyedLockWireTests : IClassFixture<PostgreSqlRunKeyedFixture>, IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly PostgreSqlRunKeyedFixture _fixture;
    private readonly ITestOutputHelper _output;
    private PgWireCounter? _counter;

    public PostgreSqlRunKeyedLockWireTests(PostgreSqlRunKeyedFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    public void Dispose() => _counter?.Dispose();

    [SkippableFact]
    public async Task LockingStatements_CallsOverTwoRuns_EachNamesOneRunAndTheCallIsOneTransaction()
    {
        await using var db = Relayed(out var counter);
        var (first, firstCards) = await TestData.WriteStoryAsync(db, 2);
        var (second, secondCards) = await TestData.WriteStoryAsync(db, 2);
        var claims = (await db.Claims.ClaimAsync(first.RunId, "w1", 1, Lease)).Concat(await db.Claims.ClaimAsync(second.RunId, "w1", 1, Lease)).ToArray();

        var calls = new List<(string Call, IReadOnlyList<(char Type, string Text)> Messages)>();
        async Task Record(string call, Func<Task> action)
        {
            counter.Start();
            await action();
            calls.Add((call, counter.Stop()));
        }

        await Record("Cards.UpdateStatusesAsync (id-only)", () => db.Cards.UpdateStatusesAsync(
            firstCards.Concat(secondCards).Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.InProgress))));
        await Record("Cards.UpdateStatusByStoryAsync (id-only)", () => db.Cards.UpdateStatusByStoryAsync([first.Id, second.Id], [CardStatus.InProgress], CardStatus.Completed));
        var renewed = Array.Empty<StoryClaim>();
        await Record("Claims.RenewManyAsync", async () => renewed = [.. (await db.Claims.RenewManyAsync(claims, Lease)).Outcomes.Select(o => o.Renewed!)]);
        await Record("Claims.CompleteManyAsync", () => db.Claims.CompleteManyAsync(renewed.Select(c => new ClaimCompletion(c, StoryStatus.Completed))));
        await Record("Stories.UpdateStatusByRunAsync", () => db.Stories.UpdateStatusByRunAsync([first.RunId, second.RunId], [StoryStatus.Completed], StoryStatus.Cancelled));

        foreach (var (call, messages) in calls)
        {
            _output.WriteLine($"{call}: {PgWireCounter.Describe(messages, 60)}");
            var locking = Texts(messages).Where(t => t.Contains("FOR UPDATE", StringComparison.Ordinal)).ToList();
            locking.Should().HaveCount(2, $"{call}: one locking statement per run");
            locking.Should().OnlyContain(t => t.Contains("\"run_id\" = $", StringComparison.Ordinal), $"{call}: each locks the rows of one run");
            locking.Should().NotContain(t => t.Contains("\"run_id\" = ANY(", StringComparison.Ordinal), call);
            messages.Should().Contain(m => m.Text.StartsWith("BEGIN", StringComparison.Ordinal), $"{call}: both runs in one transaction");
            messages.Should().Contain(m => m.Text.StartsWith("COMMIT", StringComparison.Ordinal), call);
        }

        (await db.Stories.GetByRunAsync(first.RunId).ToListAsync()).Concat(await db.Stories.GetByRunAsync(second.RunId).ToListAsync())
            .Should().OnlyContain(s => s.Status == StoryStatus.Cancelled);
        (await db.Cards.GetByRunAsync(first.RunId).ToListAsync()).Concat(await db.Cards.GetByRunAsync(second.RunId).ToListAsync())
            .Should().OnlyContain(c => c.Status == CardStatus.Completed && c.Version == 3);
    }

    [SkippableFact]
    public async Task IdOnlyCalls_RowsOfOneRun_SendWhatTheRunScopedFormSendsAfterTheLookUp()
    {
        await using var db = Relayed(out var counter);
        var (story, cards) = await TestData.WriteStoryAsync(db, 3);
        var (other, otherCards) = await TestData.WriteStoryAsync(db, 3);

        counter.Start();
        await db.Cards.UpdateStatusesAsync(cards.Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.InProgress)));
        var idOnly = counter.Stop();
        counter.Start();
        await db.Cards.UpdateStatusesAsync(other.RunId, otherCards.Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.InProgress)));
        var runScoped = counter.Stop();
        counter.Start();
        var byStory = await db.Cards.UpdateStatusByStoryAsync([story.Id], [CardStatus.InProgress], CardStatus.Completed);
        var byStoryIdOnly = counter.Stop();
        counter.Start();
        var byStoryInRun = await db.Cards.UpdateStatusByStoryAsync(other.RunId, [other.Id], [CardStatus.InProgress], CardStatus.Completed);
        var byStoryRunScoped = counter.Stop();

        foreach (var (call, messages) in new[] { ("UpdateStatusesAsync (id-only)", idOnly), ("UpdateStatusesAsync (run)", runScoped), ("UpdateStatusByStoryAsync (id-only)", byStoryIdOnly), ("UpdateStatusByStoryAsync (run)", byStoryRunScoped) })
        {
            _output.WriteLine($"{call}: {PgWireCounter.Describe(messages, 60)}");
        }

        // The id-only form's one extra statement is its look-up of the runs (a read without locks).
        var lookUp = Texts(idOnly).Except(Texts(runScoped)).Should().ContainSingle().Which;
        lookUp.Should().StartWith("SELECT DISTINCT").And.NotContain("FOR UPDATE");
        Texts(idOnly).Where(t => t != lookUp).Should().Equal(Texts(runScoped));
        PgWireCounter.RoundTrips(idOnly).Should().Be(PgWireCounter.RoundTrips(runScoped) + 1);

        var storyLookUp = Texts(byStoryIdOnly).Except(Texts(byStoryRunScoped)).Should().ContainSingle().Which;
        storyLookUp.Should().NotContain("FOR UPDATE");
        Texts(byStoryIdOnly).Where(t => t != storyLookUp).Should().Equal(Texts(byStoryRunScoped));
        PgWireCounter.RoundTrips(byStoryRunScoped).Should().Be(1, "one statement in autocommit");
        PgWireCounter.RoundTrips(byStoryIdOnly).Should().Be(2, "the look-up, then that statement; no transaction of its own");
        byStoryIdOnly.Should().NotContain(m => m.Type == 'Q', "one run: no BEGIN or COMMIT");
        (byStory, byStoryInRun).Should().Be((3L, 3L));
    }

    [SkippableFact]
    public async Task LeaseBatch_ClaimsOfOneRun_OneStatementInAutocommitNamingTheRun()
    {
        await using var db = Relayed(out var counter);
        var (story, _) = await TestData.WriteStoryAsync(db, 1);
        await db.Stories.AddRangeAsync([TestData.Story(story.RunId, 1, StoryStatus.Ready)]);
        var claims = (await db.Claims.ClaimAsync(story.RunId, "w1", 2, Lease)).ToArray();

        counter.Start();
        var result = await db.Claims.CompleteManyAsync(claims.Select(c => new ClaimCompletion(c, StoryStatus.Completed)));
        var messages = counter.Stop();

        _output.WriteLine(PgWireCounter.Describe(messages, 60));
        result.Succeeded.Should().Be(2);
        PgWireCounter.RoundTrips(messages).Should().Be(1);
        messages.Should().NotContain(m => m.Type == 'Q', "one run: no BEGIN or COMMIT");
        Texts(messages).Single(t => t.Contains("FOR UPDATE", StringComparison.Ordinal)).Should().Contain("\"run_id\" = $").And.NotContain("\"run_id\" = ANY(");
    }

    /// <summary>The statement texts sent (Parse and simple Query), in order.</summary>
    private static List<string> Texts(IReadOnlyList<(char Type, string Text)> messages) =>
        [.. messages.Where(m => m.Type is 'P' or 'Q').Select(m => m.Text)];

    /// <summary>
    /// A database of the library's own making in the distributed mode on the fixture's run-keyed layout, through the
    /// relay, without auto-prepare (so every statement's text is on the wire each time).
    /// </summary>
    private RunEngineDatabase Relayed(out PgWireCounter counter)
    {
        _fixture.SkipIfUnavailable();
        _counter ??= PgWireCounter.For(_fixture.ConnectionString);
        counter = _counter;
        var connectionString = counter.Relay(_fixture.ConnectionString) + ";Max Auto Prepare=0";
        return PostgreSqlDatabase.Create(connectionString, new PostgreSqlOptions
        {
            TimeProvider = _fixture.Time,
            LeaseClock = LeaseClock.Host,
            Distribution = PostgreSqlDistribution.Citus,
            WithoutCitusExtension = true,
        });
    }
}
