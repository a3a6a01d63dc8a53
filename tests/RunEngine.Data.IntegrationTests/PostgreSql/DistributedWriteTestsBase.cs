using Dapper;
using Npgsql;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.PostgreSql;
using RunEngine.Data.PostgreSql.Bulk;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// Bulk writes in distributed mode (<see cref="PostgreSqlDistribution.Citus"/>), proved on plain PostgreSQL: the schema
/// is built as usual (distribution None) and the writes go through a database object with Distribution = Citus, whose
/// path choice is all that differs. Citus's re-raise of a shard's key error as <c>XX000</c> is emulated by triggers
/// (<see cref="CitusReRaise"/>); after that <c>XX000</c> Npgsql ends the connection, as after Citus's. The
/// own-transaction COPY's <c>XX000</c> becomes the same typed error as on one server (explained after the rollback, on
/// a new connection); in a session or a caller's
/// transaction the rows are staged and checked before the insert, so the typed error comes without any server error
/// and the transaction stays usable.
/// </summary>
/// <remarks>
/// Subclasses: <see cref="PostgreSqlDistributedWriteTests"/> (the schema of one server), <see cref="PostgreSqlRunKeyedDistributedWriteTests"/>
/// (the distributed layout's keys on plain PostgreSQL) and <c>CitusDistributedWriteTests</c> (a Citus coordinator,
/// <c>RUNENGINE_TEST_CITUS</c>, where the re-raise is real and the emulation's own tests skip).
/// </remarks>
/// <typeparam name="TFixture">The fixture.</typeparam>
public abstract class DistributedWriteTestsBase<TFixture>(TFixture fixture) : IClassFixture<TFixture>, IAsyncLifetime
    where TFixture : PostgreSqlFixture
{
    /// <summary>Whether triggers emulate Citus's re-raise (false on a real Citus cluster).</summary>
    protected virtual bool EmulatesReRaise => true;

    protected TFixture Fixture => fixture;

    public async Task InitializeAsync()
    {
        if (fixture.SkipReason is not null || !EmulatesReRaise)
        {
            return;
        }

        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(CitusReRaise.InstallSql);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    protected RunEngineDatabase Distributed() =>
        fixture.CreateDatabase(o => ((PostgreSqlOptions)o).Distribution = PostgreSqlDistribution.Citus);

    [SkippableFact]
    public async Task AddRangeAsync_OwnTransactionIdReRaisedAsXX000_NamesIdAndAlreadyStoredAndWritesNothing()
    {
        fixture.SkipIfUnavailable();
        var db = Distributed();
        var runId = TestData.NewRunId();
        var stored = TestData.Stories(runId, 2).ToList();
        await db.Stories.AddRangeAsync(stored);
        var batch = TestData.Stories(runId, 2, firstPosition: 10).Append(stored[0]).ToList();

        var error = (await ((Func<Task>)(() => db.Stories.AddRangeAsync(batch))).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Entity.Should().Be("Story");
        error.Field.Should().Be("Id");
        error.Position.Should().Be(2);
        error.Reason.Should().Contain(stored[0].Id.ToString()).And.Contain("already stored");
        error.InnerException.Should().BeOfType<PostgresException>().Which.SqlState.Should().Be("XX000");
        (await CountAsync("re_stories", runId)).Should().Be(2, "the batch was rolled back");
    }

    [SkippableFact]
    public async Task AddRangeAsync_OwnTransactionPositionReRaisedAsXX000_NamesRunPositionAndStoredStory()
    {
        fixture.SkipIfUnavailable();
        var db = Distributed();
        var runId = TestData.NewRunId();
        var stored = TestData.Stories(runId, 2).ToList();
        await db.Stories.AddRangeAsync(stored);
        var batch = TestData.Stories(runId, 3, firstPosition: 3).ToList();
        batch[1].Position = 1;

        var error = (await ((Func<Task>)(() => db.Stories.AddRangeAsync(batch))).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Field.Should().Be("Position");
        error.Reason.Should().Contain($"({runId}, 1)").And.Contain("already stored").And.Contain(stored[1].Id.ToString());
        (await CountAsync("re_stories", runId)).Should().Be(2);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_OwnTransactionMissingStoryReRaisedAsXX000_NamesStoryIdAndWritesNothingOfTheCycle()
    {
        fixture.SkipIfUnavailable();
        var db = Distributed();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 3).ToList();
        var missing = TestData.Story(runId, 9);
        var cards = TestData.Cards(stories, 2).Append(TestData.Card(missing, 0)).ToList();

        var error = (await ((Func<Task>)(() => db.WriteCycleAsync(stories, cards))).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Entity.Should().Be("Card");
        error.Field.Should().Be("StoryId");
        error.Position.Should().Be(6);
        error.Reason.Should().Contain(missing.Id.ToString()).And.Contain("neither in this batch nor in the database");
        (await CountAsync("re_stories", runId)).Should().Be(0, "nothing of the cycle remains");
        (await CountAsync("re_cards", runId)).Should().Be(0);
    }

    [SkippableFact]
    public async Task AddRangeAsync_OwnTransactionXX000NoKeyExplains_RethrowsTheOriginalOnceWithoutRetry()
    {
        fixture.SkipIfUnavailable();
        Skip.IfNot(EmulatesReRaise, "needs the emulation's XX000 that no key explains");
        var db = Distributed();
        var runId = TestData.NewRunId();
        var story = TestData.Story(runId, 0);
        story.Title = CitusReRaise.UnexplainedTitle;
        var before = await RaisedAsync();

        var act = () => db.Stories.AddRangeAsync([TestData.Story(runId, 1), story]);

        (await act.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be("XX000");
        (await RaisedAsync()).Should().Be(before + 1, "an XX000 is no transient fault: the insert ran once");
        (await CountAsync("re_stories", runId)).Should().Be(0);
    }

    [SkippableFact]
    public async Task CitusReRaise_InsideACopy_NpgsqlEndsTheConnection()
    {
        // The premise of the own-transaction tests: after an XX000 from a COPY, Npgsql ends the connection (as after
        // Citus's re-raise), so their explanation runs on a new connection.
        fixture.SkipIfUnavailable();
        Skip.IfNot(EmulatesReRaise, "checks the emulation itself");
        var runId = TestData.NewRunId();
        var stored = TestData.Story(runId, 0);
        await fixture.Database.Stories.AddRangeAsync([stored]);
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        var act = async () =>
        {
            await using var import = await connection.BeginBinaryImportAsync("COPY re_stories (id, run_id, position, title) FROM STDIN (FORMAT BINARY)");
            await import.StartRowAsync();
            await import.WriteAsync(stored.Id);
            await import.WriteAsync(runId);
            await import.WriteAsync(stored.Position);
            await import.WriteAsync("again");
            await import.CompleteAsync();
        };

        (await act.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be("XX000");
        connection.FullState.Should().Be(System.Data.ConnectionState.Broken);
    }

    [SkippableFact]
    public async Task AddRangeAsync_SessionIdAlreadyStored_TypedWithoutServerErrorAndTheSessionGoesOn()
    {
        fixture.SkipIfUnavailable();
        var db = Distributed();
        var runId = TestData.NewRunId();
        var stored = TestData.Stories(runId, 2).ToList();
        await db.Stories.AddRangeAsync(stored);
        var raised = EmulatesReRaise ? await RaisedAsync() : 0;
        await using var session = await db.BeginSessionAsync();
        await session.Stories.AddRangeAsync(TestData.Stories(runId, 2, firstPosition: 20));

        var error = (await ((Func<Task>)(() => session.Stories.AddRangeAsync([TestData.Story(runId, 30), stored[0]]))).Should()
            .ThrowAsync<BatchValidationException>()).Which;

        error.Field.Should().Be("Id");
        error.Position.Should().Be(1);
        error.Reason.Should().Contain(stored[0].Id.ToString()).And.Contain("already stored");
        error.InnerException.Should().BeOfType<StagedKeyConflictException>("the conflict was found in the stage, before any insert");
        if (EmulatesReRaise)
        {
            (await RaisedAsync()).Should().Be(raised, "no insert met the key");
        }

        await session.Stories.AddRangeAsync(TestData.Stories(runId, 2, firstPosition: 40));
        await session.CommitAsync();
        (await CountAsync("re_stories", runId)).Should().Be(6, "the stored two, the session's first and last batches");
    }

    [SkippableFact]
    public async Task AddRangeAsync_SessionPositionTwiceInBatch_NamesTheLaterRowAndSameBatch()
    {
        fixture.SkipIfUnavailable();
        var db = Distributed();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 5).ToList();
        stories[3].Position = 1;
        await using var session = await db.BeginSessionAsync();

        var error = (await ((Func<Task>)(() => session.Stories.AddRangeAsync(stories))).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Field.Should().Be("Position");
        error.Position.Should().Be(3);
        error.Reason.Should().Contain($"(run_id, position) = ({runId}, 1)").And.Contain("same batch");
        await session.Stories.AddRangeAsync(TestData.Stories(runId, 2, firstPosition: 10));
        await session.CommitAsync();
        (await CountAsync("re_stories", runId)).Should().Be(2);
    }

    [SkippableFact]
    public async Task AddRangeAsync_JoinedTransactionCardOfMissingStory_NamesStoryIdAndTheCallersTransactionCommits()
    {
        fixture.SkipIfUnavailable();
        var db = Distributed();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 2).ToList();
        await db.Stories.AddRangeAsync(stories);
        var missing = TestData.Story(runId, 9);
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var joined = db.Join(connection, transaction);
        await joined.Cards.AddRangeAsync(TestData.Cards(stories.Take(1), 2));
        var cards = TestData.Cards(stories.Skip(1), 3).ToList();
        cards.Insert(2, TestData.Card(missing, 0));

        var error = (await ((Func<Task>)(() => joined.Cards.AddRangeAsync(cards))).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Entity.Should().Be("Card");
        error.Field.Should().Be("StoryId");
        error.Position.Should().Be(2);
        error.Reason.Should().Contain(missing.Id.ToString()).And.Contain("neither in this batch nor in the database");
        error.InnerException.Should().BeOfType<StagedKeyConflictException>();
        await transaction.CommitAsync();
        (await CountAsync("re_cards", runId)).Should().Be(2, "the caller's transaction kept its first batch and committed it");
    }

    [SkippableFact]
    public async Task AddRangeAsync_SessionCardPositionAlreadyStored_NamesStoryPositionAndStoredCard()
    {
        fixture.SkipIfUnavailable();
        var db = Distributed();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 1).ToList();
        await db.Stories.AddRangeAsync(stories);
        var stored = TestData.Cards(stories, 2);
        await db.Cards.AddRangeAsync(stored);
        var batch = new List<Card> { TestData.Card(stories[0], 5), TestData.Card(stories[0], 1) };
        await using var session = await db.BeginSessionAsync();

        var error = (await ((Func<Task>)(() => session.Cards.AddRangeAsync(batch))).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Field.Should().Be("Position");
        error.Position.Should().Be(1);
        error.Reason.Should().Contain(stories[0].Id.ToString()).And.Contain("already stored").And.Contain(stored[1].Id.ToString());
    }

    [SkippableFact]
    public async Task WriteCycleAsync_SessionValidCycle_StoresEverythingAndLogsInStreamOrder()
    {
        fixture.SkipIfUnavailable();
        var db = Distributed();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 4).ToList();
        var cards = TestData.Cards(stories, 3);
        // Ids not in time order, so seq order is the stream's and not the ids'.
        var events = Enumerable.Range(0, 5).Select(_ => TestData.Event(runId)).Reverse().ToList();
        await using var session = await db.BeginSessionAsync();

        var result = await session.WriteCycleAsync(stories, cards, events);
        await session.CommitAsync();

        result.Stories.Should().Be(4);
        result.Cards.Should().Be(12);
        (await CountAsync("re_cards", runId)).Should().Be(12);
        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        var logged = (await connection.QueryAsync<Guid>("SELECT id FROM re_run_log WHERE run_id = @runId AND kind = 'test.event' ORDER BY seq", new { runId })).ToList();
        logged.Should().Equal(events.Select(e => e.Id));
    }

    protected Task<long> CountAsync(string table, Guid runId) =>
        fixture.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE run_id = @run", ("run", runId));

    private Task<long> RaisedAsync() =>
        fixture.ScalarAsync<long>($"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {CitusReRaise.RaisedSequence}");
}
