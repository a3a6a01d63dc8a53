using System.Collections.Concurrent;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Sqlite;

/// <summary>A host's worker loop (claim, complete, repeat until nothing is claimable) and the checks of its outcome.</summary>
internal static class SqliteClaimWorkers
{
    /// <summary>Writes <paramref name="count"/> ready stories of a new run and returns them.</summary>
    public static async Task<List<Story>> SeedReadyRunAsync(RunEngineDatabase db, int count)
    {
        var stories = TestData.Stories(TestData.NewRunId(), count).ToList();
        stories.ForEach(s => s.Status = StoryStatus.Ready);
        (await db.Stories.AddRangeAsync(stories)).Should().Be(count);
        return stories;
    }

    /// <summary>
    /// Runs one worker per database object (the same object may appear several times), all at once on the thread pool;
    /// each claims batches of a different size and completes every claimed story. Returns (worker, story) per completion.
    /// </summary>
    public static async Task<IReadOnlyList<(string Worker, Guid StoryId)>> RunAsync(IReadOnlyList<RunEngineDatabase> workers, Guid runId)
    {
        var completed = new ConcurrentBag<(string Worker, Guid StoryId)>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = workers.Select((db, i) => Task.Run(async () =>
        {
            var worker = $"worker-{i}";
            var batch = 1 + (i * 7 % 25);
            await start.Task;
            while (true)
            {
                var claims = await db.Claims.ClaimAsync(runId, worker, batch, TimeSpan.FromMinutes(10));
                if (claims.Count == 0)
                {
                    return;
                }

                foreach (var claim in claims)
                {
                    claim.WorkerId.Should().Be(worker);
                    await db.Claims.CompleteAsync(claim, StoryStatus.Completed);
                    completed.Add((worker, claim.StoryId));
                }
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(tasks);
        return completed.ToArray();
    }

    /// <summary>Every story claimed and completed exactly once, by the worker that claimed it, with the log to prove it.</summary>
    public static async Task ShouldHaveCompletedEachOnceAsync(
        RunEngineDatabase db, IReadOnlyList<Story> stories, IReadOnlyList<(string Worker, Guid StoryId)> completed)
    {
        var runId = stories[0].RunId;
        // Sorted and compared in order: BeEquivalentTo on thousands of items compares every pair and takes minutes.
        completed.Select(c => c.StoryId).Order().Should().Equal(
            stories.Select(s => s.Id).Order(), "every story is completed exactly once: none lost, none twice");

        var stored = await db.Stories.GetByRunAsync(runId).ToListAsync();
        stored.Should().HaveCount(stories.Count).And.AllSatisfy(s =>
        {
            s.Status.Should().Be(StoryStatus.Completed);
            s.Version.Should().Be(3, "one claim and one completion each raise the version once");
            s.ClaimedBy.Should().BeNull();
            s.LeaseExpiresAt.Should().BeNull();
        });
        var progress = await db.GetRunProgressAsync(runId);
        progress.Stories[StoryStatus.Completed].Should().Be(stories.Count);
        progress.TotalStories.Should().Be(stories.Count);

        var log = await db.RunLog.GetByRunAsync(runId).ToListAsync();
        var completions = log.Where(e => e.Kind == RunEventKinds.StoryCompleted).ToList();
        completions.Should().HaveCount(stories.Count);
        completions.Select(e => (e.StoryId!.Value, e.Worker!)).Order().Should().Equal(
            completed.Select(c => (c.StoryId, c.Worker)).Order(), "each completion is logged once, by its worker");
        log.Where(e => e.Kind == RunEventKinds.StoryClaimed).Select(e => e.StoryId!.Value).Order().Should().Equal(
            stories.Select(s => s.Id).Order(), "no lease expired, so every story was claimed exactly once");
    }
}
