using Microsoft.Data.Sqlite;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Sqlite;

namespace RunEngine.Data.IntegrationTests.Sqlite;

/// <summary>
/// SQLITE_BUSY, made real: a competing writer holds the file database's write lock past the library's busy timeout.
/// With retry on, the lock is released when the retry starts and the write succeeds; with retry off, a
/// <see cref="TransientFaultException"/> carries the driver's error.
/// </summary>
public sealed class SqliteBusyRetryTests(SqliteFileFixture fixture) : IClassFixture<SqliteFileFixture>
{
    [Fact]
    public async Task WriteCycleAsync_DatabaseLockedByAnotherWriter_IsRetriedOnceTheLockIsReleased()
    {
        var (db, logs) = Create(retry: true);
        await using var dbDisposal = db;
        await using var writer = await HoldWriteLockAsync();
        logs.OnRetry = () => writer.Rollback();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 3).ToList();

        var result = await db.WriteCycleAsync(stories, TestData.Cards(stories, 2));

        result.Should().BeEquivalentTo(new { Stories = 3L, Cards = 6L, Events = 1L });
        logs.Messages(RetryHookLoggerFactory.RetryEventId).Should().ContainSingle().Which.Should().Contain("sqlite:5");
        (await db.Stories.GetByRunAsync(runId).ToListAsync()).Should().HaveCount(3);
    }

    [Fact]
    public async Task AddRangeAsync_DatabaseLockedWithRetryOff_SurfacesATransientFaultWithTheBusyError()
    {
        var (db, logs) = Create(retry: false);
        await using var dbDisposal = db;
        await using var writer = await HoldWriteLockAsync();
        var stories = TestData.Stories(TestData.NewRunId(), 2).ToList();

        var act = () => db.Stories.AddRangeAsync(stories);

        var fault = (await act.Should().ThrowExactlyAsync<TransientFaultException>()).Which;
        fault.Attempts.Should().Be(1);
        fault.Operation.Should().Be("bulk_insert");
        fault.InnerException.Should().BeOfType<SqliteException>().Which.SqliteErrorCode.Should().Be(5);
        logs.Count(RetryHookLoggerFactory.RetryEventId).Should().Be(0);
        writer.Rollback();
        (await db.Stories.GetAsync(stories[0].Id)).Should().BeNull("nothing of the failed insert was stored");
    }

    private (RunEngineDatabase Db, RetryHookLoggerFactory Logs) Create(bool retry)
    {
        var logs = new RetryHookLoggerFactory();
        var options = new SqliteOptions { LoggerFactory = logs, BusyTimeout = TimeSpan.FromMilliseconds(100), CommandTimeout = TimeSpan.FromSeconds(1) };
        options.Retry.Enabled = retry;
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        // Microsoft.Data.Sqlite itself waits on a busy database, BEGIN included, up to the connection's Default Timeout
        // (30 s unless set): one second, the least it takes.
        return (SqliteDatabase.Create(fixture.ConnectionString + ";Default Timeout=1", options), logs);
    }

    /// <summary>Another connection's IMMEDIATE transaction: it holds the database's one write lock until rolled back.</summary>
    private async Task<SqliteTransaction> HoldWriteLockAsync()
    {
        var connection = (SqliteConnection)await fixture.OpenConnectionAsync();
        return connection.BeginTransaction(deferred: false);
    }
}
