using Microsoft.Data.SqlClient;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.SqlServer;

/// <summary>
/// What is specific to SQL Server: its column types and clustering, both bulk paths (multi-row INSERT below the
/// threshold, SqlBulkCopy from it), trusted foreign keys after a bulk load, streamed nvarchar(max), error translation on
/// the SqlBulkCopy path, and the application lock that serializes migrations.
/// </summary>
public sealed class SqlServerProviderTests : IClassFixture<SqlServerFixture>
{
    private readonly SqlServerFixture _fixture;

    public SqlServerProviderTests(SqlServerFixture fixture)
    {
        _fixture = fixture;
    }

    private RunEngineDatabase Database => _fixture.Database;

    [SkippableFact]
    public async Task EnsureSchemaAsync_Applied_CreatesSqlServerColumnTypes()
    {
        _fixture.SkipIfUnavailable();

        var version = await Database.EnsureSchemaAsync();
        var stories = await _fixture.GetColumnsAsync("stories");
        var cards = await _fixture.GetColumnsAsync("cards");

        version.Should().Be(3);
        stories.Select(c => (c.Name, c.DataType, c.MaxLength, c.Nullable)).Should().Equal(
            ("id", "uniqueidentifier", null, false),
            ("run_id", "uniqueidentifier", null, false),
            ("position", "int", null, false),
            ("title", "nvarchar", 400, false),
            ("body", "nvarchar", null, true),
            ("status", "smallint", null, false),
            ("version", "int", null, false),
            ("created_at", "datetimeoffset", null, false),
            ("updated_at", "datetimeoffset", null, false),
            ("metadata", "nvarchar", null, true),
            ("claimed_by", "nvarchar", 200, true),
            ("lease_expires_at", "datetimeoffset", null, true));
        cards.Select(c => (c.Name, c.DataType)).Should().Contain(("story_id", "uniqueidentifier"));
        cards.Select(c => (c.Name, c.DataType, c.MaxLength)).Should().Contain(("description", "nvarchar", null));
    }

    [SkippableTheory]
    [InlineData("re_stories")]
    [InlineData("re_cards")]
    [InlineData("re_run_log")]
    public async Task EnsureSchemaAsync_Applied_ClustersOnSeqAndKeepsNonclusteredPrimaryKeyOnId(string table)
    {
        _fixture.SkipIfUnavailable();

        var clustered = await _fixture.ScalarAsync<string>(
            "SELECT c.name FROM sys.indexes i " +
            "JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id " +
            "JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id " +
            "WHERE i.object_id = OBJECT_ID(@table) AND i.type_desc = N'CLUSTERED'",
            ("@table", "dbo." + table));
        var primaryKeyType = await _fixture.ScalarAsync<string>(
            "SELECT type_desc FROM sys.indexes WHERE object_id = OBJECT_ID(@table) AND is_primary_key = 1", ("@table", "dbo." + table));

        clustered.Should().Be("seq");
        primaryKeyType.Should().Be("NONCLUSTERED");
    }

    [SkippableTheory]
    [InlineData(0, 1)]
    [InlineData(50, 49)]
    [InlineData(50, 50)]
    [InlineData(50, 120)]
    [InlineData(1_000, 999)]
    public async Task AddRangeAsync_EitherSideOfTheThreshold_RoundTripsEveryRow(int threshold, int count)
    {
        _fixture.SkipIfUnavailable();
        var database = _fixture.CreateSqlServerDatabase(o => o.SmallBatchThreshold = threshold);
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, count).ToList();
        stories[^1].Body = null;
        stories[^1].Metadata = "{\"last\": true}";
        // The first row brings its own CreatedAt, the others take the write time. With one row, the first row is also
        // the last, so it brings its own time only when there is another row to take the write time.
        var ownTime = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(-7)).AddTicks(1_234_567);
        var withOwnTime = count > 1 ? stories[0] : null;
        if (withOwnTime is not null)
        {
            withOwnTime.CreatedAt = ownTime;
        }

        var writeTime = TestData.Stored(_fixture.Time.GetUtcNow());

        var written = await database.Stories.AddRangeAsync(stories);
        var read = await database.Stories.GetByRunAsync(runId).ToListAsync();

        written.Should().Be(count);
        read.Select(s => s.Id).Should().Equal(stories.Select(s => s.Id));
        read[^1].Body.Should().BeNull();
        read[^1].Metadata.Should().Be("{\"last\": true}");
        read.Select(s => s.CreatedAt).Should().Equal(stories.Select(s => ReferenceEquals(s, withOwnTime) ? TestData.Stored(ownTime) : writeTime));
        read.Should().OnlyContain(s => s.CreatedAt.Offset == TimeSpan.Zero);
    }

    [SkippableFact]
    public async Task AddRangeAsync_CardsThroughBulkCopy_LeaveTheForeignKeyTrusted()
    {
        _fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 20).ToList();
        await Database.Stories.AddRangeAsync(stories);

        await Database.Cards.AddRangeAsync(TestData.Cards(stories, 10));
        var untrusted = await _fixture.ScalarAsync<bool>(
            "SELECT is_not_trusted FROM sys.foreign_keys WHERE parent_object_id = OBJECT_ID(N'dbo.re_cards')");

        untrusted.Should().BeFalse("CheckConstraints is on by default, so a bulk load keeps the foreign key trusted");
    }

    [SkippableFact]
    public async Task AddRangeAsync_OrphanCardThroughBulkCopy_NamesTheCardAndWritesNothing()
    {
        _fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 10).ToList();
        await Database.Stories.AddRangeAsync(stories);
        var cards = TestData.Cards(stories, 10);
        var missing = TestData.Story(stories[0].RunId, 99);
        cards[73].StoryId = missing.Id;

        var add = () => Database.Cards.AddRangeAsync(cards);

        var error = (await add.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Entity.Should().Be("Card");
        error.Position.Should().Be(73);
        error.Field.Should().Be("StoryId");
        error.Message.Should().Contain(missing.Id.ToString());
        (await Database.Cards.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task AddRangeAsync_ExistingIdThroughBulkCopy_NamesTheIdAndWritesNothing()
    {
        _fixture.SkipIfUnavailable();
        var existing = TestData.Story(TestData.NewRunId(), 0);
        await Database.Stories.AddRangeAsync([existing]);
        var stories = TestData.Stories(TestData.NewRunId(), 200).ToList();
        stories[150].Id = existing.Id;

        var add = () => Database.Stories.AddRangeAsync(stories);

        var error = (await add.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Field.Should().Be("Id");
        error.Message.Should().Contain(existing.Id.ToString());
        (await Database.Stories.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task AddRangeAsync_InvalidRowAfterSeveralCopyBatches_RollsBackEveryBatch()
    {
        _fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 1_000).ToList();
        stories[990].Title = new string('x', RunEngineLimits.TitleMaxLength + 1);

        var add = () => Database.Stories.AddRangeAsync(stories, new BulkInsertOptions { BatchSize = 100 });

        var error = (await add.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Position.Should().Be(990);
        (await Database.Stories.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task AddRangeAsync_MegabyteBodiesThroughBulkCopy_StreamAndRoundTrip()
    {
        _fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 60).ToList();
        var body = string.Concat(Enumerable.Repeat("Ünïcode body line — ✓\n", 50_000));
        stories[59].Body = body;

        await Database.Stories.AddRangeAsync(TestData.ToAsync(stories));
        var read = await Database.Stories.GetAsync(stories[59].Id);

        read!.Body.Should().Be(body);
    }

    // A failed SqlBulkCopy would end the caller's transaction; in a caller's transaction the writer stages the rows and
    // moves them with INSERT ... SELECT, whose constraint errors end only the statement (SqlServerBulkWriter).
    [SkippableFact]
    public async Task Join_BulkCopyFailsInsideCallerTransaction_TransactionStaysUsable()
    {
        _fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var first = TestData.Stories(runId, 3).ToList();

        await using (var connection = (SqlConnection)await _fixture.OpenConnectionAsync())
        await using (var transaction = (SqlTransaction)await connection.BeginTransactionAsync())
        {
            var session = Database.Join(connection, transaction);
            await session.Stories.AddRangeAsync(first);
            var clashing = TestData.Stories(runId, 100, firstPosition: 10).ToList();
            clashing[80].Id = first[0].Id;

            await FluentActions.Awaiting(() => session.Stories.AddRangeAsync(clashing)).Should().ThrowAsync<BatchValidationException>();
            await session.Cards.AddRangeAsync(TestData.Cards(first, 60));
            await transaction.CommitAsync();
        }

        (await Database.Stories.GetByRunAsync(runId).ToListAsync()).Select(s => s.Id).Should().Equal(first.Select(s => s.Id));
        (await Database.Cards.GetByRunAsync(runId).ToListAsync()).Should().HaveCount(180);
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_CustomSchema_CreatesTheSchemaAndItsTables()
    {
        _fixture.SkipIfUnavailable();
        await using var custom = _fixture.CreateDatabase(o => o.Schema = "re_custom");

        (await custom.EnsureSchemaAsync()).Should().Be(3);
        (await custom.EnsureSchemaAsync()).Should().Be(3);
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        await custom.WriteCycleAsync(stories, TestData.Cards(stories, 2));

        (await _fixture.ScalarAsync<int>("SELECT COUNT(*) FROM sys.schemas WHERE name = N're_custom'")).Should().Be(1);
        (await _fixture.GetColumnsInSchemaAsync("re_custom", "re_cards")).Should().HaveCount(11);
        (await custom.Cards.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().HaveCount(6);
        (await Database.Stories.GetAsync(stories[0].Id)).Should().BeNull();
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_ConcurrentCallers_SerializedByTheApplicationLock()
    {
        _fixture.SkipIfUnavailable();
        var databases = Enumerable.Range(0, 4).Select(_ => _fixture.CreateDatabase(o => o.TablePrefix = "lock_")).ToList();

        var versions = await Task.WhenAll(databases.Select(d => d.EnsureSchemaAsync()));

        versions.Should().OnlyContain(v => v == 3);
        (await _fixture.ScalarAsync<int>("SELECT COUNT(*) FROM dbo.lock_schema_version")).Should().Be(3, "each of the scripts 001 to 003 is recorded once");
    }
}
