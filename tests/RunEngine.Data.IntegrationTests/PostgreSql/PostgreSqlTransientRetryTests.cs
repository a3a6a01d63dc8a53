using Npgsql;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.PostgreSql;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// Real transient faults on PostgreSQL, made with what the server gives: <c>pg_terminate_backend</c> of the library's
/// idle pooled connection between calls (the next call meets a dead connection: 57P01 or a broken stream), and
/// <c>lock_timeout</c> during a call (55P03 while another transaction holds the key, released when the retry starts).
/// </summary>
public sealed class PostgreSqlTransientRetryTests(PostgreSqlFixture fixture) : IClassFixture<PostgreSqlFixture>
{
    [SkippableFact]
    public async Task Operations_AfterTheirPooledConnectionWasKilled_SucceedThroughARetry()
    {
        fixture.SkipIfUnavailable();
        var (db, logs, app) = Create(retry: true);
        await using var dbDisposal = db;
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 3).ToList();
        await db.WriteCycleAsync(stories, TestData.Cards(stories, 2));

        var operations = new (string Name, Func<Task> Call)[]
        {
            ("GetAsync", async () => (await db.Stories.GetAsync(stories[0].Id)).Should().NotBeNull()),
            ("GetByRunAsync", async () => (await db.Stories.GetByRunAsync(runId).ToListAsync()).Should().HaveCount(3)),
            ("Cards.GetByStoryAsync", async () => (await db.Cards.GetByStoryAsync(stories[0].Id).ToListAsync()).Should().HaveCount(2)),
            ("RunLog.GetByRunAsync", async () => (await db.RunLog.GetByRunAsync(runId).ToListAsync()).Should().NotBeEmpty()),
            ("GetRunProgressAsync", async () => (await db.GetRunProgressAsync(runId)).Stories[StoryStatus.Pending].Should().Be(3)),
            ("WriteCycleAsync", async () => (await db.WriteCycleAsync(TestData.Stories(runId, 2, firstPosition: 10), [])).Stories.Should().Be(2)),
            ("AddRangeAsync", async () => (await db.Stories.AddRangeAsync(TestData.Stories(runId, 2, firstPosition: 20).ToList())).Should().Be(2)),
            ("WriteCycleAsync (lazy input)", async () =>
            {
                // The first attempt failed before any row was sent: the same enumerator serves the retry, read once.
                var enumerations = 0;
                IEnumerable<Story> Lazy()
                {
                    enumerations++;
                    foreach (var story in TestData.Stories(runId, 2, firstPosition: 30))
                    {
                        yield return story;
                    }
                }

                (await db.WriteCycleAsync(Lazy(), [])).Stories.Should().Be(2);
                enumerations.Should().Be(1);
            }),
            ("AddRangeAsync (async input)", async () =>
                (await db.Cards.AddRangeAsync(TestData.ToAsync(new[] { TestData.Card(stories[0], 10), TestData.Card(stories[0], 11) }))).Should().Be(2)),
            ("AppendAsync", async () => (await db.RunLog.AppendAsync([TestData.Event(runId)])).Should().Be(1)),
            ("EnsureSchemaAsync", async () => (await db.EnsureSchemaAsync()).Should().BePositive()),
            ("DeleteRunAsync", async () => (await db.Stories.DeleteRunAsync(runId)).Stories.Should().Be(9)),
        };

        foreach (var (name, call) in operations)
        {
            var retriesBefore = logs.Count(RetryHookLoggerFactory.RetryEventId);
            (await fixture.TerminateBackendsAsync(app)).Should().BePositive($"the library holds an idle pooled connection before {name}");

            await call();

            logs.Count(RetryHookLoggerFactory.RetryEventId).Should().BeGreaterThan(retriesBefore, $"{name} met the killed connection and was retried");
        }

        logs.Count(RetryHookLoggerFactory.GaveUpEventId).Should().Be(0);
    }

    [SkippableFact]
    public async Task GetAsync_AfterItsPooledConnectionWasKilledWithRetryOff_SurfacesATransientFaultOnce()
    {
        fixture.SkipIfUnavailable();
        var (db, logs, app) = Create(retry: false);
        await using var dbDisposal = db;
        var stories = TestData.Stories(TestData.NewRunId(), 1).ToList();
        await db.Stories.AddRangeAsync(stories);
        (await fixture.TerminateBackendsAsync(app)).Should().BePositive();

        var act = () => db.Stories.GetAsync(stories[0].Id);

        var fault = (await act.Should().ThrowExactlyAsync<TransientFaultException>()).Which;
        fault.Attempts.Should().Be(1);
        fault.Operation.Should().Be("get");
        fault.InnerException.Should().BeAssignableTo<NpgsqlException>();
        RunEngineDatabase.IsTransient(fault.InnerException!).Should().BeTrue();
        fault.Message.Should().NotContain(fixture.ConnectionString).And.NotContain("Host=");
        logs.Count(RetryHookLoggerFactory.RetryEventId).Should().Be(0);
        (await db.Stories.GetAsync(stories[0].Id)).Should().NotBeNull("the broken connection left the pool with the error");
    }

    [SkippableFact]
    public async Task WriteCycleAsync_LockTimeoutWhileAnotherTransactionHoldsItsKey_IsRetriedAndStoresTheCycleOnce()
    {
        fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 3).ToList();
        var cards = TestData.Cards(stories, 2);

        // Another writer has inserted the first story and not committed: the cycle's COPY waits on its key.
        var blocker = await fixture.Database.BeginSessionAsync();
        await blocker.Stories.AddRangeAsync([stories[0]]);
        var (db, logs, _) = Create(retry: true, lockTimeout: "150ms");
        await using var dbDisposal = db;
        logs.OnRetry = () => blocker.DisposeAsync().AsTask().GetAwaiter().GetResult();

        var result = await db.WriteCycleAsync(stories, cards);

        result.Should().BeEquivalentTo(new { Stories = 3L, Cards = 6L, Events = 1L });
        logs.Messages(RetryHookLoggerFactory.RetryEventId).Should().ContainSingle().Which.Should().Contain("sqlstate:55P03");
        (await db.Stories.GetByRunAsync(runId).ToListAsync()).Select(s => s.Id).Should().Equal(stories.Select(s => s.Id));
        (await db.RunLog.GetByRunAsync(runId).ToListAsync()).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task WriteCycleAsync_LockTimeoutInASession_IsNotRetriedAndSurfacesATransientFault()
    {
        fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 2).ToList();
        await using var blocker = await fixture.Database.BeginSessionAsync();
        await blocker.Stories.AddRangeAsync([stories[0]]);
        var (db, logs, _) = Create(retry: true, lockTimeout: "150ms");
        await using var dbDisposal = db;
        await using var session = await db.BeginSessionAsync();

        var act = () => session.WriteCycleAsync(stories, []);

        var fault = (await act.Should().ThrowExactlyAsync<TransientFaultException>()).Which;
        fault.Attempts.Should().Be(1);
        fault.InnerException.Should().BeOfType<PostgresException>().Which.SqlState.Should().Be("55P03");
        logs.Count(RetryHookLoggerFactory.RetryEventId).Should().Be(0, "a session's transaction is the caller's to repeat");
    }

    [SkippableFact]
    public async Task Session_ConnectionKilled_IsNotRetriedAndItsCommitOutcomeIsUnknown()
    {
        fixture.SkipIfUnavailable();
        var (db, logs, app) = Create(retry: true);
        await using var dbDisposal = db;
        var stories = TestData.Stories(TestData.NewRunId(), 2).ToList();
        await using (var session = await db.BeginSessionAsync())
        {
            await session.Stories.AddRangeAsync(stories);
            (await fixture.TerminateBackendsAsync(app)).Should().BePositive();

            var commit = () => session.CommitAsync();

            var unknown = (await commit.Should().ThrowExactlyAsync<CommitOutcomeUnknownException>()).Which;
            unknown.Attempts.Should().Be(1);
            unknown.Operation.Should().Be("commit");
            unknown.InnerException.Should().BeAssignableTo<NpgsqlException>();
        }

        logs.Count(RetryHookLoggerFactory.RetryEventId).Should().Be(0);
        (await db.Stories.GetAsync(stories[0].Id)).Should().BeNull("the server ended the connection before the COMMIT");
    }

    private (RunEngineDatabase Db, RetryHookLoggerFactory Logs, string App) Create(bool retry, string? lockTimeout = null)
    {
        var app = "re_retry_" + Guid.NewGuid().ToString("N")[..16];
        var builder = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { ApplicationName = app };
        if (lockTimeout is not null)
        {
            builder.Options = $"-c lock_timeout={lockTimeout}";
        }

        var logs = new RetryHookLoggerFactory();
        var options = new PostgreSqlOptions { LoggerFactory = logs };
        options.Retry.Enabled = retry;
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        return (PostgreSqlDatabase.Create(builder.ConnectionString, options), logs, app);
    }
}
