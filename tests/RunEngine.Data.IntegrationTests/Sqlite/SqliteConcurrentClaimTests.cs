using RunEngine.Data.Sqlite;

namespace RunEngine.Data.IntegrationTests.Sqlite;

/// <summary>
/// Eight workers draining a run of 2,000 stories. SQLite has no row locks to skip: each claim is one UPDATE ... RETURNING
/// inside an IMMEDIATE transaction, so claims and completions take the database's write lock one at a time. On a file,
/// the workers use separate database objects and connections and wait for each other through the busy timeout; in
/// memory they share the one kept connection, which lends itself to one operation at a time.
/// </summary>
public sealed class SqliteConcurrentClaimTests(SqliteFileFixture fixture) : IClassFixture<SqliteFileFixture>
{
    private const int StoryCount = 2_000;
    private const int WorkerCount = 8;

    [Fact]
    public async Task ClaimAsync_EightWorkersOnOneFileWithOwnConnections_CompleteEveryStoryExactlyOnce()
    {
        // A generous busy timeout: the assertion is that waiting works (no SQLITE_BUSY, no deadlock), not how fast.
        var databases = Enumerable.Range(0, WorkerCount)
            .Select(_ => fixture.CreateDatabase(o => ((SqliteOptions)o).BusyTimeout = TimeSpan.FromSeconds(60)))
            .ToList();
        try
        {
            var stories = await SqliteClaimWorkers.SeedReadyRunAsync(fixture.Database, StoryCount);

            var completed = await SqliteClaimWorkers.RunAsync(databases, stories[0].RunId);

            await SqliteClaimWorkers.ShouldHaveCompletedEachOnceAsync(fixture.Database, stories, completed);
        }
        finally
        {
            foreach (var db in databases)
            {
                await db.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ClaimAsync_EightWorkersSharingAMemoryDatabase_CompleteEveryStoryExactlyOnce()
    {
        await using var db = SqliteDatabase.Create("Data Source=:memory:", new SqliteOptions { TimeProvider = fixture.Time, LeaseClock = LeaseClock.Host });
        await db.EnsureSchemaAsync();
        var stories = await SqliteClaimWorkers.SeedReadyRunAsync(db, StoryCount);

        var completed = await SqliteClaimWorkers.RunAsync(Enumerable.Repeat(db, WorkerCount).ToList(), stories[0].RunId);

        await SqliteClaimWorkers.ShouldHaveCompletedEachOnceAsync(db, stories, completed);
    }
}
