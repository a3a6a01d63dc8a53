using System.Collections.Concurrent;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Workers in parallel, as separate hosts would run them: claims never hand one story to two workers, nothing is lost
/// or deadlocked, and of two updates from the same version exactly one wins. Where the fixture allows it each worker
/// has its own database object (its own connections); otherwise they share the fixture's.
/// </summary>
public abstract class ParallelWorkContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private const int Workers = 8;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    protected ParallelWorkContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task ClaimAsync_EightWorkersUntilNoneIsLeft_CompleteEveryStoryExactlyOnce()
    {
        Fixture.SkipIfUnavailable();
        const int Stories = 2_000;
        var runId = TestData.NewRunId();
        var stories = Enumerable.Range(0, Stories).Select(i => TestData.Story(runId, i, StoryStatus.Ready)).ToList();
        await Db.Stories.AddRangeAsync(stories);
        var completed = new ConcurrentBag<Guid>();
        await using var databases = new WorkerDatabases(Fixture, Workers);

        // The fake clock stands still, so no lease expires: every story must be claimed exactly once.
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var db = databases[w];
            var worker = $"worker-{w}";
            while (true)
            {
                var claims = await db.Claims.ClaimAsync(runId, worker, 25, Lease);
                if (claims.Count == 0)
                {
                    return;
                }

                foreach (var claim in claims)
                {
                    claim.WorkerId.Should().Be(worker);
                    await db.Claims.CompleteAsync(claim, StoryStatus.Completed);
                    completed.Add(claim.StoryId);
                }
            }
        })));

        // Sorted and compared with Equal: BeEquivalentTo matches unordered collections pairwise, O(n²) for 2,000 ids.
        completed.Order().Should().Equal(stories.Select(s => s.Id).Order(), "every story is completed, and only once");
        var progress = await Db.GetRunProgressAsync(runId);
        progress.Stories[StoryStatus.Completed].Should().Be(Stories);
        progress.TotalStories.Should().Be(Stories);
        (await StoriesOfRunAsync(runId)).Should().OnlyContain(s => s.Version == 3 && s.ClaimedBy == null && s.LeaseExpiresAt == null);
        var log = await LogOfRunAsync(runId);
        log.Where(e => e.Kind == RunEventKinds.StoryCompleted).Select(e => e.StoryId).Should().HaveCount(Stories).And.OnlyHaveUniqueItems();
        log.Where(e => e.Kind == RunEventKinds.StoryClaimed).Select(e => e.StoryId).Should().HaveCount(Stories).And.OnlyHaveUniqueItems();
    }

    [SkippableFact]
    public async Task ClaimAsync_TwoWorkersRacingForOneStory_ExactlyOneGetsIt()
    {
        Fixture.SkipIfUnavailable();
        await using var databases = new WorkerDatabases(Fixture, 2);

        for (var round = 0; round < 20; round++)
        {
            var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];

            var claims = await Task.WhenAll(Enumerable.Range(0, 2).Select(w =>
                Task.Run(() => databases[w].Claims.ClaimAsync(story.RunId, $"worker-{w}", 1, Lease))));

            claims.SelectMany(c => c).Should().ContainSingle().Which.StoryId.Should().Be(story.Id);
            (await LogOfRunAsync(story.RunId)).Should().ContainSingle().Which.Kind.Should().Be(RunEventKinds.StoryClaimed);
        }
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_TwoWritersFromTheSameVersion_ExactlyOneWins()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(Enumerable.Repeat(StoryStatus.Pending, 20).ToArray());
        await using var databases = new WorkerDatabases(Fixture, 2);

        foreach (var story in stories)
        {
            var statuses = new[] { StoryStatus.Ready, StoryStatus.Cancelled };
            var results = await Task.WhenAll(statuses.Select((status, w) => Task.Run(async () =>
            {
                try
                {
                    return (Status: status, Version: (int?)await databases[w].Stories.UpdateStatusAsync(story.Id, status, 1), Conflict: (ConcurrencyConflictException?)null);
                }
                catch (ConcurrencyConflictException conflict)
                {
                    return (Status: status, Version: (int?)null, Conflict: conflict);
                }
            })));

            results.Should().ContainSingle(r => r.Version == 2);
            results.Should().ContainSingle(r => r.Conflict != null).Which.Conflict!.Should().BeEquivalentTo(
                new { Entity = "Story", Id = story.Id, ExpectedVersion = 1, ActualVersion = 2 });
            var stored = await Db.Stories.GetAsync(story.Id);
            stored!.Version.Should().Be(2);
            stored.Status.Should().Be(results.Single(r => r.Version == 2).Status);
            (await LogOfRunAsync(story.RunId)).Where(e => e.StoryId == story.Id).Should().ContainSingle("only the winning update is logged");
        }
    }

    /// <summary>One database object per worker where the fixture supports it (like separate hosts), else the fixture's.</summary>
    private sealed class WorkerDatabases : IAsyncDisposable
    {
        private readonly RunEngineDatabase[] _databases;
        private readonly bool _owned;

        public WorkerDatabases(ProviderFixture fixture, int count)
        {
            _owned = fixture.SupportsConcurrentDatabaseObjects;
            _databases = Enumerable.Range(0, count).Select(_ => _owned ? fixture.CreateDatabase() : fixture.Database).ToArray();
        }

        public RunEngineDatabase this[int worker] => _databases[worker];

        public async ValueTask DisposeAsync()
        {
            if (_owned)
            {
                foreach (var database in _databases)
                {
                    await database.DisposeAsync();
                }
            }
        }
    }
}
