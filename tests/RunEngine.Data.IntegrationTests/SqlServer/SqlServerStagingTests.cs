using Microsoft.Data.SqlClient;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.SqlServer;

/// <summary>
/// SQL Server's staging path (#temp table, then one INSERT ... SELECT): retry-safe inserts through both ways of
/// filling the stage, concurrent replays, no stage left behind, write order kept in seq, and bulk writes inside a
/// caller's or a session's transaction that fail without ending it.
/// </summary>
public sealed class SqlServerStagingTests : IClassFixture<SqlServerFixture>
{
    private static readonly BulkInsertOptions Skip = new() { ExistingRows = ExistingRows.Skip };
    private readonly SqlServerFixture _fixture;

    public SqlServerStagingTests(SqlServerFixture fixture)
    {
        _fixture = fixture;
    }

    private RunEngineDatabase Database => _fixture.Database;

    [SkippableTheory]
    [InlineData(0, 300)]
    [InlineData(50, 30)]
    [InlineData(50, 300)]
    public async Task AddRangeAsync_SkipWithHalfExisting_InsertsTheOtherHalfAndKeepsExistingRows(int threshold, int count)
    {
        _fixture.SkipIfUnavailable();
        var database = _fixture.CreateSqlServerDatabase(o => o.SmallBatchThreshold = threshold);
        var stories = TestData.Stories(TestData.NewRunId(), count).ToList();
        await database.Stories.AddRangeAsync(stories.Where(s => s.Position % 2 == 0));
        var replay = stories.Select(s => Copy(s, title: "replayed")).ToList();

        var inserted = await database.Stories.AddRangeAsync(replay, Skip);

        inserted.Should().Be(count / 2);
        var stored = await database.Stories.GetByRunAsync(stories[0].RunId).ToListAsync();
        stored.Select(s => s.Id).Should().Equal(stories.Select(s => s.Id));
        stored.Where(s => s.Position % 2 == 0).Should().OnlyContain(s => s.Title.StartsWith("Story", StringComparison.Ordinal), "existing rows are left as they were");
        stored.Where(s => s.Position % 2 == 1).Should().OnlyContain(s => s.Title == "replayed");
    }

    [SkippableFact]
    public async Task WriteCycleAsync_FourConcurrentReplaysThroughBulkCopy_LeaveOneCopyAndOneTrace()
    {
        _fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 500).ToList();
        var cards = TestData.Cards(stories, 4);
        var databases = Enumerable.Range(0, 4).Select(_ => _fixture.CreateSqlServerDatabase(o => o.SmallBatchThreshold = 0)).ToList();

        // UPDLOCK, HOLDLOCK on the existence checks: the later replays wait for the first and then skip its rows,
        // instead of failing on the unique indexes.
        var results = await Task.WhenAll(databases.Select(db => Task.Run(() => db.WriteCycleAsync(stories, cards, Skip))));

        results.Sum(r => r.Stories).Should().Be(500);
        results.Sum(r => r.Cards).Should().Be(2_000);
        results.Sum(r => r.StoriesSkipped).Should().Be(1_500);
        results.Should().ContainSingle(r => r.Stories > 0).Which.Cards.Should().Be(2_000, "cards follow their stories in the same transaction");
        (await Database.Stories.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().HaveCount(500);
        (await Database.Cards.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().HaveCount(2_000);
        (await Database.RunLog.GetByRunAsync(stories[0].RunId).ToListAsync())
            .Should().ContainSingle("only the replay that wrote rows leaves a trace").Which.Kind.Should().Be(RunEventKinds.CycleWritten);
    }

    [SkippableTheory]
    [InlineData(ExistingRows.Fail)]
    [InlineData(ExistingRows.Skip)]
    public async Task AddRangeAsync_InsideSession_LeavesNoStagingTableBehind(ExistingRows existing)
    {
        _fixture.SkipIfUnavailable();
        var database = _fixture.CreateSqlServerDatabase(o => o.SmallBatchThreshold = 10);
        var stories = TestData.Stories(TestData.NewRunId(), 40).ToList();

        await using var session = await database.BeginSessionAsync();
        await session.Stories.AddRangeAsync(stories, new BulkInsertOptions { ExistingRows = existing });
        await session.Cards.AddRangeAsync(TestData.Cards(stories.Take(2), 3), new BulkInsertOptions { ExistingRows = existing });
        await using var command = new SqlCommand(
            "SELECT CASE WHEN OBJECT_ID(N'tempdb..#re_stage_stories') IS NULL AND OBJECT_ID(N'tempdb..#re_stage_cards') IS NULL THEN 0 ELSE 1 END",
            (SqlConnection)session.Connection,
            (SqlTransaction)session.Transaction!);
        var left = (int)(await command.ExecuteScalarAsync())!;
        await session.CommitAsync();

        left.Should().Be(0);
        (await database.Stories.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().HaveCount(40);
    }

    [SkippableTheory]
    [InlineData(0, ExistingRows.Fail)]
    [InlineData(0, ExistingRows.Skip)]
    [InlineData(1_000, ExistingRows.Skip)]
    public async Task WriteCycleAsync_ManyCallerEvents_ReadBackInWriteOrder(int threshold, ExistingRows existing)
    {
        _fixture.SkipIfUnavailable();
        var database = _fixture.CreateSqlServerDatabase(o => o.SmallBatchThreshold = threshold);
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 3).ToList();

        // Ids in an order that is neither time nor SQL Server's uniqueidentifier order: only seq can give it back.
        var events = Enumerable.Range(0, 900)
            .Select(i => TestData.Event(runId, $"step.{i:D4}", storyId: stories[i % 3].Id))
            .OrderBy(e => e.Id.ToString("N")[^6..], StringComparer.Ordinal)
            .ToList();
        await database.WriteCycleAsync(stories, [], events, new BulkInsertOptions { ExistingRows = existing });

        var log = await database.RunLog.GetByRunAsync(runId).ToListAsync();

        log.Select(e => e.Id).Should().Equal(events.Select(e => e.Id).Append(log[^1].Id));
        log[^1].Kind.Should().Be(RunEventKinds.CycleWritten, "the cycle's own trace is written after the caller's entries");
    }

    [SkippableTheory]
    [InlineData(ExistingRows.Fail)]
    [InlineData(ExistingRows.Skip)]
    public async Task AddRangeAsync_OrphanCardsInsideSessionThroughBulkCopy_RejectedAndSessionStaysUsable(ExistingRows existing)
    {
        _fixture.SkipIfUnavailable();
        var database = _fixture.CreateSqlServerDatabase(o => o.SmallBatchThreshold = 0);
        var stories = TestData.Stories(TestData.NewRunId(), 20).ToList();
        var options = new BulkInsertOptions { ExistingRows = existing };

        await using (var session = await database.BeginSessionAsync())
        {
            await session.Stories.AddRangeAsync(stories, options);
            var cards = TestData.Cards(stories, 5);
            var missing = TestData.Story(stories[0].RunId, 99);
            cards[57].StoryId = missing.Id;

            var error = (await FluentActions.Awaiting(() => session.Cards.AddRangeAsync(cards, options)).Should().ThrowAsync<BatchValidationException>()).Which;

            error.Position.Should().Be(57);
            error.Field.Should().Be("StoryId");
            await session.Cards.AddRangeAsync(TestData.Cards(stories, 2), options);
            await session.CommitAsync();
        }

        (await database.Stories.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().HaveCount(20);
        (await database.Cards.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().HaveCount(40);
    }

    [SkippableFact]
    public async Task AddRangeAsync_InvalidRowMidStreamInsideCallerTransaction_RowsBeforeItAreUndoneAndTheTransactionStaysUsable()
    {
        _fixture.SkipIfUnavailable();

        // The library rejects row 150 while SqlBulkCopy is streaming into the stage: rows 0-149 already reached the
        // server and must go with the savepoint, while the caller's transaction and its earlier rows stay.
        var database = _fixture.CreateSqlServerDatabase(o => o.SmallBatchThreshold = 0);
        var runId = TestData.NewRunId();
        var first = TestData.Stories(runId, 5).ToList();
        await using (var connection = (SqlConnection)await _fixture.OpenConnectionAsync())
        await using (var transaction = (SqlTransaction)await connection.BeginTransactionAsync())
        {
            var session = database.Join(connection, transaction);
            await session.Stories.AddRangeAsync(first);
            var invalid = TestData.Stories(runId, 200, firstPosition: 100).ToList();
            invalid[150].Title = new string('x', RunEngineLimits.TitleMaxLength + 1);

            var error = (await FluentActions.Awaiting(() => session.Stories.AddRangeAsync(TestData.ToAsync(invalid))).Should().ThrowAsync<BatchValidationException>()).Which;

            error.Position.Should().Be(150);
            await session.Stories.AddRangeAsync(TestData.Stories(runId, 100, firstPosition: 1_000));
            await transaction.CommitAsync();
        }

        var stored = await database.Stories.GetByRunAsync(runId).ToListAsync();
        stored.Should().HaveCount(105);
        stored.Should().NotContain(s => s.Position >= 100 && s.Position < 1_000);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_OwnTransactionBulkCopyFails_NothingOfTheCycleRemainsAndTheErrorNamesTheRow()
    {
        _fixture.SkipIfUnavailable();

        // The transaction is the operation's own: the fast path (SqlBulkCopy into the table) is used, SQL Server ends
        // the transaction when the load fails, and the error is explained afterwards, outside it.
        var database = _fixture.CreateSqlServerDatabase(o => o.SmallBatchThreshold = 0);
        var existing = TestData.Story(TestData.NewRunId(), 0);
        await database.Stories.AddRangeAsync([existing]);
        var stories = TestData.Stories(TestData.NewRunId(), 100).ToList();
        var cards = TestData.Cards(stories, 3);
        cards[251].StoryId = existing.Id;
        cards[251].RunId = stories[0].RunId;
        cards[252].StoryId = TestData.Story(stories[0].RunId, 500).Id;

        var error = (await FluentActions.Awaiting(() => database.WriteCycleAsync(stories, cards)).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Entity.Should().Be("Card");
        error.Position.Should().Be(252, "the cycle's own stories and the existing story are not missing");
        (await database.Stories.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().BeEmpty();
        (await database.RunLog.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Join_CallerTransactionWithXactAbortOn_RejectedBatchEndsItAndTheDatabaseErrorSurfaces()
    {
        _fixture.SkipIfUnavailable();

        // The documented limit: with XACT_ABORT ON every error ends the transaction, the INSERT ... SELECT's included.
        // The library cannot keep the caller's transaction and says so with the database's own error.
        var runId = TestData.NewRunId();
        var first = TestData.Stories(runId, 3).ToList();
        await using var connection = (SqlConnection)await _fixture.OpenConnectionAsync();
        await using (var set = new SqlCommand("SET XACT_ABORT ON", connection))
        {
            await set.ExecuteNonQueryAsync();
        }

        await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync();
        var session = Database.Join(connection, transaction);
        await session.Stories.AddRangeAsync(first);
        var clashing = TestData.Stories(runId, 100, firstPosition: 10).ToList();
        clashing[80].Id = first[0].Id;

        var error = (await FluentActions.Awaiting(() => session.Stories.AddRangeAsync(clashing)).Should().ThrowAsync<SqlException>()).Which;

        error.Errors.Cast<SqlError>().Select(e => e.Number).Should().Contain(2627);
        transaction.Connection.Should().BeNull("SQL Server rolled the caller's transaction back");
        (await Database.Stories.GetByRunAsync(runId).ToListAsync()).Should().BeEmpty();
    }

    private static Story Copy(Story s, string title) => new()
    {
        Id = s.Id,
        RunId = s.RunId,
        Position = s.Position,
        Title = title,
        Body = s.Body,
        Status = s.Status,
    };
}
