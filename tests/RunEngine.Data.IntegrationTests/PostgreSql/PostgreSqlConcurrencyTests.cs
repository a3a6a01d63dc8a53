using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>Behaviour under real concurrent connections: optimistic versions, parallel COPY streams, killed and cancelled streams.</summary>
public sealed class PostgreSqlConcurrencyTests : IClassFixture<PostgreSqlFixture>
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);
    private readonly PostgreSqlFixture _fixture;

    public PostgreSqlConcurrencyTests(PostgreSqlFixture fixture)
    {
        _fixture = fixture;
    }

    private RunEngineDatabase Database => _fixture.Database;

    [SkippableFact]
    public async Task UpdateStatusAsync_SecondWriterBlockedOnSameVersion_GetsConflictAfterFirstCommits()
    {
        _fixture.SkipIfUnavailable();
        var story = PgRows.Stories(Guid.CreateVersion7(), 1)[0];
        await Database.Stories.AddRangeAsync([story]);

        await using var first = await Database.BeginSessionAsync();
        var firstVersion = await first.Stories.UpdateStatusAsync(story.Id, StoryStatus.Ready, 1);
        // The second writer's UPDATE waits for the first transaction's row lock, then re-checks the version.
        var second = Database.Stories.UpdateStatusAsync(story.Id, StoryStatus.Failed, 1);
        await WaitUntilAsync(() => BlockedOnLockAsync(), "the second writer to wait for the row lock");
        await first.CommitAsync();

        var act = () => second;

        var conflict = (await act.Should().ThrowAsync<ConcurrencyConflictException>()).Which;
        firstVersion.Should().Be(2);
        conflict.Id.Should().Be(story.Id);
        conflict.ExpectedVersion.Should().Be(1);
        conflict.ActualVersion.Should().Be(2);
        var stored = await Database.Stories.GetAsync(story.Id);
        stored!.Version.Should().Be(2);
        stored.Status.Should().Be(StoryStatus.Ready);
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_TwoWritersRacingFromSameVersion_ExactlyOneWins()
    {
        _fixture.SkipIfUnavailable();
        var stories = PgRows.Stories(Guid.CreateVersion7(), 20);
        await Database.Stories.AddRangeAsync(stories);

        foreach (var story in stories)
        {
            using var start = new Barrier(2);
            var writers = new[] { StoryStatus.Ready, StoryStatus.Cancelled }
                .Select(status => Task.Run(async () =>
                {
                    start.SignalAndWait(WaitLimit);
                    try
                    {
                        return (Status: status, Version: (int?)await Database.Stories.UpdateStatusAsync(story.Id, status, 1), Conflict: (ConcurrencyConflictException?)null);
                    }
                    catch (ConcurrencyConflictException conflict)
                    {
                        return (Status: status, Version: (int?)null, Conflict: conflict);
                    }
                }))
                .ToArray();
            var results = await Task.WhenAll(writers);

            results.Should().ContainSingle(r => r.Version == 2);
            results.Should().ContainSingle(r => r.Conflict != null).Which.Conflict!.ActualVersion.Should().Be(2);
            var stored = await Database.Stories.GetAsync(story.Id);
            stored!.Version.Should().Be(2);
            stored.Status.Should().Be(results.Single(r => r.Version == 2).Status);
        }
    }

    [SkippableFact]
    public async Task WriteCycleAsync_EightRunsInParallel_AllRowsPresent()
    {
        _fixture.SkipIfUnavailable();
        const int Runs = 8, StoriesPerRun = 50, CardsPerStory = 100;
        var runs = Enumerable.Range(0, Runs).Select(_ => Guid.CreateVersion7()).ToArray();

        var results = await Task.WhenAll(runs.Select(runId => Task.Run(() =>
        {
            var stories = PgRows.Stories(runId, StoriesPerRun);
            return Database.WriteCycleAsync(stories, PgRows.Cards(stories, CardsPerStory));
        })));

        results.Should().AllSatisfy(r =>
        {
            r.Stories.Should().Be(StoriesPerRun);
            r.Cards.Should().Be(StoriesPerRun * CardsPerStory);
        });
        foreach (var runId in runs)
        {
            (await CountAsync("re_stories", runId)).Should().Be(StoriesPerRun);
            (await CountAsync("re_cards", runId)).Should().Be(StoriesPerRun * CardsPerStory);
        }
    }

    [SkippableFact]
    public async Task WriteCycleAsync_ConnectionKilledDuringCardStream_FailsAndLeavesNothingOfTheCycle()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        var stories = PgRows.Stories(runId, 20);
        var produced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var write = Task.Run(() => Database.WriteCycleAsync(
            ToAsync(stories), PausingAfter(PgRows.Cards(stories, 1_000), 5_000, produced, killed)));
        await produced.Task.WaitAsync(WaitLimit);
        var terminated = await TerminateCopyBackendsAsync();
        killed.SetResult();

        var act = () => write;

        var error = (await act.Should().ThrowAsync<Exception>()).Which;
        terminated.Should().Be(1);
        // Its lazy input was already read, so it is not retried (issue 11): the provider's own error inside a TransientFaultException.
        error.Should().BeOfType<TransientFaultException>().Which.InnerException.Should().BeAssignableTo<DbException>("a lost connection surfaces as the provider's own error");
        (await CountAsync("re_stories", runId)).Should().Be(0);
        (await CountAsync("re_cards", runId)).Should().Be(0);
        (await Database.Stories.AddRangeAsync(PgRows.Stories(Guid.CreateVersion7(), 3))).Should().Be(3, "the pool drops the killed connection");
    }

    [SkippableFact]
    public async Task AddRangeAsync_CancelledMidStreamInsideSession_RollsBackOnlyThatBatchAndKeepsTheSessionUsable()
    {
        _fixture.SkipIfUnavailable();
        var keptRun = Guid.CreateVersion7();
        var cancelledRun = Guid.CreateVersion7();
        var produced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancellation = new CancellationTokenSource();

        await using var session = await Database.BeginSessionAsync();
        await session.Stories.AddRangeAsync(PgRows.Stories(keptRun, 10));
        var write = Task.Run(() => session.Stories.AddRangeAsync(
            PausingAfter(PgRows.Stories(cancelledRun, 20_000), 5_000, produced, cancelled), cancellationToken: cancellation.Token));
        await produced.Task.WaitAsync(WaitLimit);
        await cancellation.CancelAsync();
        cancelled.SetResult();
        var act = () => write;

        await act.Should().ThrowAsync<OperationCanceledException>();
        // The COPY was cancelled cleanly and rolled back to its savepoint: the same transaction goes on.
        await session.Stories.AddRangeAsync(PgRows.Stories(keptRun, 12).Skip(10));
        await session.CommitAsync();
        (await CountAsync("re_stories", keptRun)).Should().Be(12);
        (await CountAsync("re_stories", cancelledRun)).Should().Be(0);
    }

    /// <summary>Yields <paramref name="rows"/>; after <paramref name="count"/> rows signals <paramref name="produced"/> and waits for <paramref name="resume"/>.</summary>
    private static async IAsyncEnumerable<T> PausingAfter<T>(
        IEnumerable<T> rows, int count, TaskCompletionSource produced, TaskCompletionSource resume, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var yielded = 0;
        foreach (var row in rows)
        {
            if (yielded++ == count)
            {
                produced.SetResult();
                await resume.Task.WaitAsync(WaitLimit, CancellationToken.None);
            }

            yield return row;
        }
    }

    private static async IAsyncEnumerable<T> ToAsync<T>(IEnumerable<T> rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    private async Task<int> TerminateCopyBackendsAsync()
    {
        await using var connection = await _fixture.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(
            "SELECT count(*)::int FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity " +
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'COPY %') AS killed");
    }

    private async Task<bool> BlockedOnLockAsync()
    {
        await using var connection = await _fixture.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' " +
            // A single-row change is one statement that starts with its UPDATE, or the data-modifying CTE around it.
            "AND (query LIKE 'UPDATE %' OR query LIKE 'WITH %'))");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > WaitLimit)
            {
                throw new TimeoutException($"Gave up waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    private async Task<long> CountAsync(string table, Guid runId)
    {
        await using var connection = await _fixture.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE run_id = @RunId", new { RunId = runId });
    }
}
