using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Sqlite;

namespace RunEngine.Data.IntegrationTests.Sqlite;

/// <summary>What only SQLite has: connection settings, the kept in-memory connection, stored value formats, exact rejected rows.</summary>
public sealed class SqliteProviderTests(SqliteFileFixture fixture) : IClassFixture<SqliteFileFixture>
{
    [Fact]
    public async Task Create_PlainMemoryDatabase_KeepsOneDatabaseForItsLifetime()
    {
        await using var db = SqliteDatabase.Create("Data Source=:memory:");
        await db.EnsureSchemaAsync();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();

        await db.WriteCycleAsync(stories, TestData.Cards(stories, 2));

        (await db.EnsureSchemaAsync()).Should().Be(db.Provider.Schema.LatestVersion);
        (await db.Stories.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().HaveCount(3);
        (await db.Cards.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().HaveCount(6);
    }

    [Fact]
    public async Task Create_EmptyDataSource_KeepsOneTemporaryDatabase()
    {
        await using var db = SqliteDatabase.Create("Data Source=");
        await db.EnsureSchemaAsync();
        var story = TestData.Story(TestData.NewRunId(), 0);

        await db.Stories.AddRangeAsync([story]);

        (await db.Stories.GetAsync(story.Id)).Should().NotBeNull();
    }

    [Fact]
    public async Task Create_MemoryDatabaseDisposed_RefusesFurtherCalls()
    {
        var db = SqliteDatabase.Create("Data Source=:memory:");
        await db.EnsureSchemaAsync();

        await db.DisposeAsync();

        await FluentActions.Awaiting(() => db.Stories.GetAsync(Guid.CreateVersion7())).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task AddRangeAsync_ParallelCallsOnMemoryDatabase_AreSerializedAndAllWritten()
    {
        await using var db = SqliteDatabase.Create("Data Source=:memory:");
        await db.EnsureSchemaAsync();
        var runs = Enumerable.Range(0, 8).Select(_ => TestData.Stories(TestData.NewRunId(), 200).ToList()).ToList();

        var written = await Task.WhenAll(runs.Select(run => Task.Run(() => db.Stories.AddRangeAsync(run))));

        written.Should().AllSatisfy(w => w.Should().Be(200));
        foreach (var run in runs)
        {
            (await db.Stories.GetByRunAsync(run[0].RunId).ToListAsync()).Should().HaveCount(200);
        }
    }

    [Fact]
    public async Task BeginSessionAsync_MemoryDatabase_OtherCallsWaitForTheSessionToEnd()
    {
        await using var db = SqliteDatabase.Create("Data Source=:memory:");
        await db.EnsureSchemaAsync();
        var inSession = TestData.Story(TestData.NewRunId(), 0);
        var outside = TestData.Story(TestData.NewRunId(), 0);

        Task<long> waiting;
        await using (var session = await db.BeginSessionAsync())
        {
            waiting = db.Stories.AddRangeAsync([outside]);
            await session.Stories.AddRangeAsync([inSession]);
            waiting.IsCompleted.Should().BeFalse("the only connection belongs to the session");
            await session.CommitAsync();
        }

        (await waiting).Should().Be(1);
        (await db.Stories.GetAsync(inSession.Id)).Should().NotBeNull();
        (await db.Stories.GetAsync(outside.Id)).Should().NotBeNull();
    }

    [Theory]
    [InlineData("dbo")]
    [InlineData("other")]
    public void Create_SchemaOtherThanMain_ThrowsSayingSqliteHasNoSchemas(string schema)
    {
        var act = () => SqliteDatabase.Create("Data Source=:memory:", new SqliteOptions { Schema = schema });

        act.Should().Throw<ArgumentException>().WithParameterName("Schema").WithMessage("*SQLite has no schemas*");
    }

    [Theory]
    [InlineData("main")]
    [InlineData("MAIN")]
    public async Task Create_SchemaMain_IsAccepted(string schema)
    {
        await using var db = SqliteDatabase.Create("Data Source=:memory:", new SqliteOptions { Schema = schema });

        (await db.EnsureSchemaAsync()).Should().Be(db.Provider.Schema.LatestVersion);
    }

    [Fact]
    public void Create_NegativeBusyTimeout_Throws()
    {
        var act = () => SqliteDatabase.Create("Data Source=:memory:", new SqliteOptions { BusyTimeout = TimeSpan.FromMilliseconds(-1) });

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("BusyTimeout");
    }

    [Fact]
    public void Options_Defaults_AreDocumentedValues()
    {
        var options = new SqliteOptions();

        options.UseWriteAheadLog.Should().BeTrue();
        options.BusyTimeout.Should().Be(TimeSpan.FromSeconds(5));
        options.Schema.Should().BeNull();
    }

    [Fact]
    public async Task BeginSessionAsync_FileDatabase_ConnectionHasWalForeignKeysAndBusyTimeout()
    {
        await using var db = fixture.CreateDatabase(o => ((SqliteOptions)o).BusyTimeout = TimeSpan.FromMilliseconds(1_234));

        await using var session = await db.BeginSessionAsync();

        var pragmas = await ReadPragmasAsync(session.Connection, session.Transaction);
        pragmas.Should().Be(("wal", 1L, 1_234L, 1L));
    }

    [Fact]
    public async Task BeginSessionAsync_WriteAheadLogDisabled_KeepsRollbackJournal()
    {
        var path = Path.Combine(Path.GetTempPath(), $"re_tests_{Guid.NewGuid():N}.db");
        try
        {
            await using (var db = SqliteDatabase.Create($"Data Source={path};Pooling=False", new SqliteOptions { UseWriteAheadLog = false }))
            await using (var session = await db.BeginSessionAsync())
            {
                var pragmas = await ReadPragmasAsync(session.Connection, session.Transaction);
                pragmas.Should().Be(("delete", 1L, 5_000L, 2L));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AddRangeAsync_Ids_StoredAsUpperCaseTextThatDapperParametersAndListsMatch()
    {
        var db = fixture.Database;
        var story = TestData.Story(TestData.NewRunId(), 0);
        story.CreatedAt = new DateTimeOffset(2026, 7, 8, 9, 10, 11, TimeSpan.FromHours(2)).AddTicks(1_234_567);

        await db.Stories.AddRangeAsync([story]);

        await using var connection = await fixture.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string IdType, string Id, string CreatedType, string Created)>(
            $"SELECT typeof(id), id, typeof(created_at), created_at FROM {db.Provider.Tables.Stories} WHERE id = @Id", new { story.Id });
        row.Should().Be(("text", story.Id.ToString().ToUpperInvariant(), "text", "2026-07-08 07:10:11.123456+00:00"));
        // The statement the library uses to diagnose duplicate ids (Dapper expands the Guid list into parameters).
        var found = await connection.QueryAsync<string>(db.Provider.Stories.SelectExistingIds, new { Ids = new[] { Guid.CreateVersion7(), story.Id } });
        found.Select(Guid.Parse).Should().Equal(story.Id);
    }

    [Fact]
    public async Task AddRangeAsync_IdAlreadyStored_NamesTheExactRow()
    {
        var db = fixture.Database;
        var existing = TestData.Story(TestData.NewRunId(), 0);
        await db.Stories.AddRangeAsync([existing]);
        var stories = TestData.Stories(TestData.NewRunId(), 4).ToList();
        stories[2].Id = existing.Id;

        var error = (await FluentActions.Awaiting(() => db.Stories.AddRangeAsync(stories)).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Position.Should().Be(2);
        error.Field.Should().Be("Id");
        error.InnerException.Should().BeOfType<SqliteException>().Which.SqliteExtendedErrorCode.Should().Be(1555);
    }

    [Fact]
    public async Task AddRangeAsync_CardPositionTakenInStory_NamesTheExactRow()
    {
        var db = fixture.Database;
        var story = TestData.Story(TestData.NewRunId(), 0);
        await db.WriteCycleAsync([story], TestData.Cards([story], 2));
        var cards = new[] { TestData.Card(story, 2), TestData.Card(story, 3), TestData.Card(story, 0) };

        var error = (await FluentActions.Awaiting(() => db.Cards.AddRangeAsync(cards)).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Position.Should().Be(2);
        error.Field.Should().Be("Position");
        error.InnerException.Should().BeOfType<SqliteException>().Which.SqliteExtendedErrorCode.Should().Be(2067);
    }

    [Fact]
    public async Task WriteCycleAsync_ConcurrentWritersOnOneFile_AllCommitWithoutBusyErrors()
    {
        await using var second = fixture.CreateDatabase();
        var runs = Enumerable.Range(0, 8).Select(_ => TestData.Stories(TestData.NewRunId(), 100).ToList()).ToList();

        var results = await Task.WhenAll(runs.Select((run, i) =>
            Task.Run(() => (i % 2 == 0 ? fixture.Database : second).WriteCycleAsync(run, TestData.Cards(run, 5)))));

        results.Should().AllSatisfy(r => r.Should().BeEquivalentTo(new { Stories = 100L, Cards = 500L }));
        foreach (var run in runs)
        {
            (await fixture.Database.Cards.GetByRunAsync(run[0].RunId).ToListAsync()).Should().HaveCount(500);
        }
    }

    private static async Task<(string JournalMode, long ForeignKeys, long BusyTimeout, long Synchronous)> ReadPragmasAsync(
        DbConnection connection, DbTransaction? transaction) =>
        (await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode", transaction: transaction) ?? string.Empty,
         await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys", transaction: transaction),
         await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout", transaction: transaction),
         await connection.ExecuteScalarAsync<long>("PRAGMA synchronous", transaction: transaction));
}
