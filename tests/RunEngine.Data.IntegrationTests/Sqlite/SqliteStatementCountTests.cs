using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using RunEngine.Data.IntegrationTests.Infrastructure;
using SQLitePCL;
using Xunit.Abstractions;

namespace RunEngine.Data.IntegrationTests.Sqlite;

/// <summary>
/// SQLite, in-process: a single-row change stays one immediate transaction of the UPDATE and its log INSERT, counted
/// with SQLite's trace hook (<c>sqlite3_trace</c>, one callback per statement run) on the pool the library uses:
/// BEGIN IMMEDIATE, UPDATE (RETURNING for lease transitions), INSERT, COMMIT, and no separate SELECT.
/// </summary>
public sealed class SqliteStatementCountTests : IClassFixture<SqliteFileFixture>
{
    private const int PooledHandles = 4;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly SqliteFileFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly ConcurrentQueue<string> _statements = new();
    private readonly strdelegate_trace _trace;

    public SqliteStatementCountTests(SqliteFileFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
        _trace = (_, sql) => _statements.Enqueue(sql);
    }

    [Fact]
    public async Task SingleRowCalls_OneTransactionOfTheUpdateAndItsEntry_NoSeparateSelect()
    {
        var db = _fixture.Database;
        var story = TestData.Story(TestData.NewRunId(), 0, StoryStatus.Ready);
        var card = TestData.Card(story, 0);
        await db.WriteCycleAsync([story], [card]);
        var claim = (await db.Claims.ClaimAsync(story.RunId, "w1", 1, Lease)).Single();

        var counts = new List<(string Call, string[] Statements)>();
        async Task Count(string call, Func<Task> action)
        {
            _statements.Clear();
            Hook(_trace);
            try
            {
                await action();
            }
            finally
            {
                Hook(null);
            }

            // The per-connection PRAGMAs that every open runs are the pool's cost, not the call's.
            counts.Add((call, _statements.Select(s => s.Trim()).Where(s => !s.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase)).ToArray()));
        }

        await Count("Cards.UpdateStatusAsync", () => db.Cards.UpdateStatusAsync(card.Id, CardStatus.InProgress, 1));
        await Count("Claims.RenewAsync", async () => claim = await db.Claims.RenewAsync(claim, Lease));
        await Count("Claims.ReleaseAsync", () => db.Claims.ReleaseAsync(claim));
        claim = (await db.Claims.ClaimAsync(story.RunId, "w1", 1, Lease)).Single();
        var version = 0;
        await Count("Claims.CompleteAsync", async () => version = await db.Claims.CompleteAsync(claim, StoryStatus.Completed));
        await Count("Stories.UpdateStatusAsync", () => db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Ready, version));

        foreach (var (call, statements) in counts)
        {
            _output.WriteLine($"{call}: {statements.Length} statements: {string.Join(" | ", statements.Select(s => s.Length > 30 ? s[..30] : s))}");
        }

        counts.Should().HaveCount(5).And.OnlyContain(c => c.Statements.Length == 4, "BEGIN IMMEDIATE, UPDATE, INSERT, COMMIT");
        counts.Should().OnlyContain(c => c.Statements[1].StartsWith("UPDATE", StringComparison.Ordinal) && c.Statements[2].StartsWith("INSERT", StringComparison.Ordinal));
        counts.Should().OnlyContain(c => !c.Statements.Any(s => s.StartsWith("SELECT", StringComparison.Ordinal)));
    }

    private void Hook(strdelegate_trace? callback)
    {
        // The library and these connections share the pool of one connection string; every pooled handle gets the hook.
        var connections = new List<SqliteConnection>();
        try
        {
            for (var i = 0; i < PooledHandles; i++)
            {
                var connection = new SqliteConnection(_fixture.ConnectionString);
                connection.Open();
                connections.Add(connection);
                raw.sqlite3_trace(connection.Handle, callback, null);
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }
    }
}
