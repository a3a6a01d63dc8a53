using Npgsql;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.PostgreSql;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// Status changes, lease transitions and claims meeting real transient faults on PostgreSQL, with retry on: the
/// library's idle pooled connection killed between calls, and the backend killed in the middle of a call (a statement
/// trigger on the run log sleeps once, and <c>pg_terminate_backend</c> ends it there). Each call succeeds through a
/// retry and applies its change exactly once: one log entry per change, versions raised once, no lease lost.
/// </summary>
public sealed class PostgreSqlRepeatFaultTests(PostgreSqlFixture fixture) : IClassFixture<PostgreSqlFixture>
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    [SkippableFact]
    public async Task Operations_AfterTheirPooledConnectionWasKilled_ApplyOnceThroughARetry()
    {
        fixture.SkipIfUnavailable();
        var (db, logs, app) = Create();
        await using var dbDisposal = db;
        var runId = TestData.NewRunId();
        var stories = Enumerable.Range(0, 6).Select(i => TestData.Story(runId, i, StoryStatus.Ready)).ToList();
        await db.Stories.AddRangeAsync(stories);
        var card = TestData.Card(stories[5], 0);
        await db.Cards.AddRangeAsync([card]);
        IReadOnlyList<StoryClaim> claims = [];
        StoryClaim? renewed = null;

        var operations = new (string Name, Func<Task> Call)[]
        {
            ("UpdateStatusAsync", async () => (await db.Stories.UpdateStatusAsync(stories[4].Id, StoryStatus.Pending, stories[4].Version)).Should().Be(stories[4].Version + 1)),
            ("UpdateStatusesAsync", async () => (await db.Cards.UpdateStatusesAsync([new StatusChange<CardStatus>(card.Id, card.Version, CardStatus.Completed)])).Changed.Should().Be(1)),
            ("ClaimAsync", async () => claims = await db.Claims.ClaimAsync(runId, "worker-a", 3, Lease)),
            ("RenewAsync", async () => renewed = await db.Claims.RenewAsync(claims[0], Lease)),
            ("CompleteAsync", async () => (await db.Claims.CompleteAsync(renewed!, StoryStatus.Completed)).Should().Be(renewed!.Version + 1)),
            ("CompleteManyAsync", async () => (await db.Claims.CompleteManyAsync(claims.Skip(1).Select(c => new ClaimCompletion(c, StoryStatus.Failed)))).Succeeded.Should().Be(2)),
            ("UpdateStatusByRunAsync", async () => (await db.Stories.UpdateStatusByRunAsync([runId], [StoryStatus.Ready], StoryStatus.Cancelled)).Should().Be(2)),
        };

        foreach (var (name, call) in operations)
        {
            var retriesBefore = logs.Count(RetryHookLoggerFactory.RetryEventId);
            (await fixture.TerminateBackendsAsync(app, sleeping: false)).Should().BePositive($"the library holds an idle pooled connection before {name}");

            await call();

            logs.Count(RetryHookLoggerFactory.RetryEventId).Should().BeGreaterThan(retriesBefore, $"{name} met the killed connection and was retried");
        }

        logs.Count(RetryHookLoggerFactory.GaveUpEventId).Should().Be(0);
        claims.Should().HaveCount(3);
        var stored = (await db.Stories.GetByRunAsync(runId).ToListAsync()).ToDictionary(s => s.Id);
        stored.Values.Select(s => s.Status).Should().BeEquivalentTo(
            [StoryStatus.Completed, StoryStatus.Failed, StoryStatus.Failed, StoryStatus.Cancelled, StoryStatus.Pending, StoryStatus.Cancelled]);
        var log = await db.RunLog.GetByRunAsync(runId).ToListAsync();
        log.Count(e => e.Kind == RunEventKinds.StoryClaimed).Should().Be(3);
        log.Count(e => e.Kind == RunEventKinds.LeaseRenewed).Should().Be(1);
        log.Count(e => e.Kind == RunEventKinds.StoryCompleted).Should().Be(3);
        log.Count(e => e.Kind == RunEventKinds.StoryStatusChanged).Should().Be(3, "one for the single change, two for the change by run");
        log.Count(e => e.Kind == RunEventKinds.CardStatusChanged).Should().Be(1);
    }

    [SkippableFact]
    public async Task UpdateStatusesAsync_BackendKilledInTheMiddleOfTheBatch_AppliesEachChangeOnce()
    {
        fixture.SkipIfUnavailable();
        var (db, logs, app) = Create();
        await using var dbDisposal = db;
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 50).ToList();
        await db.Stories.AddRangeAsync(stories);
        var changes = stories.Select(s => new StatusChange<StoryStatus>(s.Id, s.Version, StoryStatus.Ready)).ToArray();

        var result = await KilledOnceAsync(db, app, () => db.Stories.UpdateStatusesAsync(changes));

        result.Changed.Should().Be(50);
        logs.Count(RetryHookLoggerFactory.RetryEventId).Should().BeGreaterThan(0);
        (await db.Stories.GetByRunAsync(runId).ToListAsync()).Should().OnlyContain(s => s.Version == 2 && s.Status == StoryStatus.Ready);
        (await db.RunLog.GetByRunAsync(runId).ToListAsync()).Should().HaveCount(50);
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_BackendKilledInsideItsAutocommitStatement_AppliesOnce()
    {
        fixture.SkipIfUnavailable();
        var (db, logs, app) = Create();
        await using var dbDisposal = db;
        var story = TestData.Story(TestData.NewRunId(), 0, StoryStatus.Ready);
        await db.Stories.AddRangeAsync([story]);

        // The statement was sent in autocommit: the retry does not know whether it committed, and finds out.
        var version = await KilledOnceAsync(db, app, () => db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Completed, story.Version));

        version.Should().Be(story.Version + 1);
        logs.Messages(RetryHookLoggerFactory.RetryEventId).Should().NotBeEmpty();
        (await db.RunLog.GetByRunAsync(story.RunId).ToListAsync()).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task UpdateStatusByRunAsync_BackendKilledInsideItsAutocommitStatement_ReturnsTheCountOnce()
    {
        fixture.SkipIfUnavailable();
        var (db, logs, app) = Create();
        await using var dbDisposal = db;
        var runId = TestData.NewRunId();
        await db.Stories.AddRangeAsync(Enumerable.Range(0, 4).Select(i => TestData.Story(runId, i, StoryStatus.Ready)).ToList());

        var changed = await KilledOnceAsync(db, app, () => db.Stories.UpdateStatusByRunAsync([runId], [StoryStatus.Ready], StoryStatus.Cancelled));

        changed.Should().Be(4);
        logs.Count(RetryHookLoggerFactory.RetryEventId).Should().BeGreaterThan(0);
        (await db.RunLog.GetByRunAsync(runId).ToListAsync()).Should().HaveCount(4);
    }

    [SkippableFact]
    public async Task ClaimAsync_BackendKilledInsideItsClaim_ClaimsTheCountOnce()
    {
        fixture.SkipIfUnavailable();
        var (db, logs, app) = Create();
        await using var dbDisposal = db;
        var runId = TestData.NewRunId();
        var stories = Enumerable.Range(0, 5).Select(i => TestData.Story(runId, i, StoryStatus.Ready)).ToList();
        await db.Stories.AddRangeAsync(stories);

        var claims = await KilledOnceAsync(db, app, () => db.Claims.ClaimAsync(runId, "worker-a", 3, Lease));

        claims.Select(c => c.StoryId).Should().Equal(stories.Take(3).Select(s => s.Id));
        logs.Count(RetryHookLoggerFactory.RetryEventId).Should().BeGreaterThan(0);
        (await db.Stories.GetByRunAsync(runId).ToListAsync()).Count(s => s.ClaimedBy == "worker-a").Should().Be(3);
        (await db.RunLog.GetByRunAsync(runId).ToListAsync()).Should().HaveCount(3);
    }

    [SkippableFact]
    public async Task CompleteManyAsync_BackendKilledWhileItLogs_CompletesEachClaimOnce()
    {
        fixture.SkipIfUnavailable();
        var (db, logs, app) = Create();
        await using var dbDisposal = db;
        var runId = TestData.NewRunId();
        await db.Stories.AddRangeAsync(Enumerable.Range(0, 4).Select(i => TestData.Story(runId, i, StoryStatus.Ready)).ToList());
        var claims = await db.Claims.ClaimAsync(runId, "worker-a", 4, Lease);

        var result = await KilledOnceAsync(db, app, () => db.Claims.CompleteManyAsync(claims.Select(c => new ClaimCompletion(c, StoryStatus.Completed))));

        result.Succeeded.Should().Be(4, "no lease is lost");
        result.Outcomes.Should().OnlyContain(o => o.Version == o.Claim.Version + 1);
        logs.Count(RetryHookLoggerFactory.RetryEventId).Should().BeGreaterThan(0);
        (await db.RunLog.GetByRunAsync(runId).ToListAsync()).Count(e => e.Kind == RunEventKinds.StoryCompleted).Should().Be(4);
    }

    /// <summary>
    /// Runs <paramref name="call"/> with a trigger that makes the run log's next INSERT (or COPY) sleep, once (a
    /// sequence, which no rollback undoes, counts the firings), and terminates the backend while it sleeps.
    /// </summary>
    private async Task<T> KilledOnceAsync<T>(RunEngineDatabase db, string app, Func<Task<T>> call)
    {
        var name = "re_kill_" + Guid.NewGuid().ToString("N")[..12];
        var runLog = db.Provider.Tables.RunLog;
        await ExecuteAsync(
            $"CREATE SEQUENCE {name}_seq; " +
            $"CREATE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF nextval('{name}_seq') = 1 THEN PERFORM pg_sleep(30); END IF; RETURN NULL; END $$; " +
            $"CREATE TRIGGER {name} BEFORE INSERT ON {runLog} FOR EACH STATEMENT EXECUTE FUNCTION {name}_fn();");
        try
        {
            var running = call();
            var killed = 0;
            for (var i = 0; i < 500 && killed == 0 && !running.IsCompleted; i++)
            {
                killed = await fixture.TerminateBackendsAsync(app, sleeping: true);
                if (killed == 0)
                {
                    await Task.Delay(20);
                }
            }

            killed.Should().Be(1, "the call's backend was found sleeping in the trigger and terminated");
            return await running;
        }
        finally
        {
            await ExecuteAsync($"DROP TRIGGER {name} ON {runLog}; DROP FUNCTION {name}_fn(); DROP SEQUENCE {name}_seq;");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private (RunEngineDatabase Db, RetryHookLoggerFactory Logs, string App) Create()
    {
        var app = "re_repeat_" + Guid.NewGuid().ToString("N")[..16];
        var builder = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { ApplicationName = app };
        var logs = new RetryHookLoggerFactory();
        var options = new PostgreSqlOptions { LoggerFactory = logs };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        return (PostgreSqlDatabase.Create(builder.ConnectionString, options), logs, app);
    }
}
