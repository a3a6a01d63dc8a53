using System.Data.Common;
using System.Globalization;
using Dapper;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;
using RunEngine.Data.Schema;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Schema version 3 (script 003): the cards' composite foreign key (run_id, story_id) -> stories (run_id, id), the
/// cards' natural key (run_id, story_id, position), no index on cards (run_id) alone, on a new database and on one
/// upgraded from version 2 with rows, which keeps every row; mismatched cards stop the upgrade and change nothing.
/// </summary>
public abstract class SchemaVersion3Contract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private const string Stamp = "2026-01-02T03:04:05.5+00:00";
    private static readonly string[] CardNaturalKey = ["run_id", "story_id", "position"];
    private static readonly string[] OldCardNaturalKey = ["story_id", "position"];
    private static readonly string[] StoryRunKey = ["run_id", "id"];
    private static readonly string[] RunOnly = ["run_id"];
    private static readonly string[] IdOnly = ["id"];

    protected SchemaVersion3Contract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_NewDatabase_HasTheCompositeKeysAndNoRunIndexOnCards()
    {
        Fixture.SkipIfUnavailable();

        (await Db.EnsureSchemaAsync()).Should().Be(Db.Provider.Schema.LatestVersion, "version 3 and any later one are applied");

        await AssertVersion3KeysAsync(Db.Provider.Tables);
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_Version2TablesWithRows_UpgradesToVersion3AndKeepsEveryRow()
    {
        Fixture.SkipIfUnavailable();
        await using var db = await CreateVersion2Async("v2up_");
        var run = TestData.NewRunId();
        var stories = TestData.Stories(run, 3).ToList();
        stories[1].Metadata = """{"k": 1}""";
        var cards = stories.SelectMany(s => new[] { TestData.Card(s, 0), TestData.Card(s, 1) }).ToList();
        cards[3].Metadata = """[1, "two"]""";
        await db.WriteCycleAsync(stories, cards);
        var otherStory = TestData.Story(TestData.NewRunId(), 0);
        await db.WriteCycleAsync([otherStory], [TestData.Card(otherStory, 0)]);
        await db.RunLog.AppendAsync([TestData.Event(run, storyId: stories[0].Id, cardId: cards[0].Id)]);
        var storiesBefore = await StoriesOfRunAsync(run, db);
        var cardsBefore = await CardsOfRunAsync(run, db);
        var logBefore = await LogOfRunAsync(run, db);
        var counts = await CountsAsync(db.Provider.Tables);

        var version = await db.EnsureSchemaAsync();

        version.Should().Be(db.Provider.Schema.LatestVersion, "version 3 and any later one are applied");
        (await CurrentVersionAsync(db.Provider.Tables)).Should().Be(db.Provider.Schema.LatestVersion);
        (await CountsAsync(db.Provider.Tables)).Should().Be(counts);
        (await StoriesOfRunAsync(run, db)).Should().BeEquivalentTo(storiesBefore, o => o.WithStrictOrdering());
        (await CardsOfRunAsync(run, db)).Should().BeEquivalentTo(cardsBefore, o => o.WithStrictOrdering());
        (await LogOfRunAsync(run, db)).Should().BeEquivalentTo(logBefore, o => o.WithStrictOrdering());
        cardsBefore.Should().HaveCount(6);
        (await Fixture.GetColumnsAsync("cards", "v2up_")).Select(c => c.Name).Should().Equal(RunEngineTables.Cards.Columns.Select(c => c.Name));
        await AssertVersion3KeysAsync(db.Provider.Tables);

        // The database itself now refuses a card of another run, and still takes one of the story's own run.
        var stray = TestData.Card(stories[0], 5);
        stray.RunId = TestData.NewRunId();
        var rawStray = () => InsertCardRawAsync(db.Provider, stray);
        await rawStray.Should().ThrowAsync<DbException>();
        var matching = TestData.Card(stories[0], 6);
        (await InsertCardRawAsync(db.Provider, matching)).Should().Be(1);
        (await db.Cards.GetByStoryAsync(stories[0].Id).ToListAsync()).Select(c => c.Id).Should().Equal(cards[0].Id, cards[1].Id, matching.Id);

        var deleted = await db.Stories.DeleteRunAsync(run);

        deleted.Should().BeEquivalentTo(new { Stories = 3L, Cards = 7L });
        (await CountsAsync(db.Provider.Tables)).Cards.Should().Be(1, "only the other run's card is left");
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_Version2CardsOfAnotherRun_ThrowsSchemaExceptionAndChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        await using var db = await CreateVersion2Async("v2bad_");
        var story = TestData.Story(TestData.NewRunId(), 0);
        await db.WriteCycleAsync([story], [TestData.Card(story, 0)]);
        var strays = new[] { TestData.Card(story, 1), TestData.Card(story, 2) };
        foreach (var stray in strays)
        {
            stray.RunId = TestData.NewRunId();
            stray.Title = "secret title";
            (await InsertCardRawAsync(db.Provider, stray)).Should().Be(1, "version 2 does not check a card's run");
        }

        var counts = await CountsAsync(db.Provider.Tables);

        var act = () => db.EnsureSchemaAsync();

        var thrown = (await act.Should().ThrowAsync<SchemaException>()).Which;
        thrown.Message.Should().Contain("version 3").And.Contain(": 2 cards have a run_id that differs from their story's run_id")
            .And.Contain("Nothing was changed").And.NotContain("secret");
        (await CurrentVersionAsync(db.Provider.Tables)).Should().Be(2);
        (await CountsAsync(db.Provider.Tables)).Should().Be(counts);
        await using (var connection = await Fixture.OpenConnectionAsync())
        {
            (await KeyCatalog.ForeignKeysAsync(connection, db.Provider.Tables, "cards")).Should().ContainSingle()
                .Which.Columns.Should().Equal("story_id");
        }

        // Once the cards are put right, the upgrade goes through.
        await using (var connection = await Fixture.OpenConnectionAsync())
        {
            var q = db.Provider.Dialect.Quote;
            await connection.ExecuteAsync(
                $"UPDATE {db.Provider.Tables.Cards} SET {q("run_id")} = @RunId WHERE {q("story_id")} = @StoryId",
                new { story.RunId, StoryId = story.Id });
        }

        (await db.EnsureSchemaAsync()).Should().Be(db.Provider.Schema.LatestVersion);
        (await CardsOfRunAsync(story.RunId, db)).Should().HaveCount(3);
    }

    [SkippableFact]
    public async Task Script003_RunByHandOverCardsOfAnotherRun_FailsAndChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        await using var db = await CreateVersion2Async("v2hand_");
        var provider = db.Provider;
        var story = TestData.Story(TestData.NewRunId(), 0);
        await db.WriteCycleAsync([story], [TestData.Card(story, 0)]);
        var stray = TestData.Card(story, 1);
        stray.RunId = TestData.NewRunId();
        await InsertCardRawAsync(provider, stray);
        var counts = await CountsAsync(provider.Tables);
        var script = provider.Schema.Scripts.Single(s => s.Version == 3);

        await using (var connection = await Fixture.OpenConnectionAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            var act = async () =>
            {
                foreach (var batch in provider.Schema.SplitBatches(provider.Tables.Expand(script.Text)))
                {
                    await connection.ExecuteAsync(batch, transaction: transaction);
                }
            };

            var thrown = (await act.Should().ThrowAsync<DbException>()).Which;
            thrown.Message.Should().Contain(
                Fixture.ProviderName == "SQLite" ? "FOREIGN KEY constraint failed" : "1 cards have a run_id that differs from their story's run_id");

            // SQL Server's THROW ends the transaction itself when XACT_ABORT is ON (a server's "user options" can make it
            // the default); the transaction object then has no connection left and nothing to roll back.
            if (transaction.Connection is not null)
            {
                await transaction.RollbackAsync();
            }
        }

        (await CurrentVersionAsync(provider.Tables)).Should().Be(2);
        (await CountsAsync(provider.Tables)).Should().Be(counts);
        await using (var connection = await Fixture.OpenConnectionAsync())
        {
            (await KeyCatalog.ForeignKeysAsync(connection, provider.Tables, "cards")).Should().ContainSingle()
                .Which.Columns.Should().Equal("story_id");
        }
    }

    /// <summary>A database object over tables at version 2, created by the shipped scripts 000 to 002 under <paramref name="prefix"/>.</summary>
    private async Task<RunEngineDatabase> CreateVersion2Async(string prefix)
    {
        var db = Fixture.CreateDatabase(o => o.TablePrefix = prefix);
        var provider = db.Provider;
        await using var connection = await Fixture.OpenConnectionAsync();
        foreach (var script in provider.Schema.Scripts.Where(s => s.Version <= 2))
        {
            foreach (var batch in provider.Schema.SplitBatches(provider.Tables.Expand(script.Text)))
            {
                await connection.ExecuteAsync(batch);
            }

            if (script.Version > 0)
            {
                await connection.ExecuteAsync(
                    SchemaMigrator.RecordVersionSql(provider.Tables),
                    new { script.Version, script.Description, AppliedAt = DateTimeOffset.Parse(Stamp, CultureInfo.InvariantCulture) });
            }
        }

        return db;
    }

    /// <summary>Inserts a card through a raw connection, bypassing the library's checks.</summary>
    private async Task<int> InsertCardRawAsync(DatabaseProvider provider, Card card)
    {
        await using var connection = await Fixture.OpenConnectionAsync();
        var q = provider.Dialect.Quote;
        var at = DateTimeOffset.Parse(Stamp, CultureInfo.InvariantCulture);
        return await connection.ExecuteAsync(
            $"INSERT INTO {provider.Tables.Cards} ({q("id")}, {q("run_id")}, {q("story_id")}, {q("position")}, {q("title")}, {q("description")}, " +
            $"{q("status")}, {q("version")}, {q("created_at")}, {q("updated_at")}) " +
            "VALUES (@Id, @RunId, @StoryId, @Position, @Title, @Description, @Status, 1, @At, @At)",
            new { card.Id, card.RunId, card.StoryId, card.Position, card.Title, card.Description, Status = (short)card.Status, At = at });
    }

    private async Task<int> CurrentVersionAsync(TableNames tables)
    {
        await using var connection = await Fixture.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(SchemaMigrator.CurrentVersionSql(tables));
    }

    private async Task<(long Stories, long Cards, long Events)> CountsAsync(TableNames tables) =>
        (await CountAsync(tables.Stories), await CountAsync(tables.Cards), await CountAsync(tables.RunLog));

    private async Task AssertVersion3KeysAsync(TableNames tables)
    {
        await using var connection = await Fixture.OpenConnectionAsync();
        var stories = await KeyCatalog.IndexesAsync(connection, tables, "stories");
        var cards = await KeyCatalog.IndexesAsync(connection, tables, "cards");
        var foreignKeys = await KeyCatalog.ForeignKeysAsync(connection, tables, "cards");

        stories.Should().Contain(i => i.Unique && i.Columns.SequenceEqual(StoryRunKey), "the composite foreign key references it");
        cards.Should().Contain(i => i.Unique && i.Columns.SequenceEqual(CardNaturalKey), "the natural key leads with (run_id, story_id)");
        if (Fixture.KeysCarryRun)
        {
            // The distributed layout: the primary key is (run_id, id), and a plain index on (id) serves the id-only forms.
            cards.Should().Contain(i => i.Unique && i.Columns.SequenceEqual(StoryRunKey), "the cards' primary key carries the run");
            cards.Should().Contain(i => !i.Unique && i.Columns.SequenceEqual(IdOnly));
        }
        else
        {
            cards.Should().Contain(i => i.Unique && i.Columns.SequenceEqual(IdOnly));
        }

        cards.Should().NotContain(i => i.Columns.SequenceEqual(RunOnly), "no (run_id) index may be left for the foreign-key check to pick");
        cards.Should().NotContain(i => i.Columns.SequenceEqual(OldCardNaturalKey));
        var key = foreignKeys.Should().ContainSingle().Which;
        key.ReferencedTable.Should().Be(tables.Prefix + "stories");
        key.Columns.Should().Equal("run_id", "story_id");
        key.ReferencedColumns.Should().Equal("run_id", "id");
        var names = Fixture.ProviderName switch
        {
            "PostgreSQL" => (Story: Fixture.KeysCarryRun ? "stories_pk" : "stories_run_id_uq", Card: "cards_run_story_position_uq", Key: "cards_run_story_fk"),
            "SQL Server" => (Story: "UQ_{0}stories_run_id_id", Card: "UQ_{0}cards_run_id_story_id_position", Key: "FK_{0}cards_run_id_story_id_stories"),
            _ => (Story: "{0}uq_stories_run_id_id", Card: (string?)null, Key: (string?)null),
        };
        string Named(string pattern) => pattern.Contains("{0}", StringComparison.Ordinal)
            ? string.Format(CultureInfo.InvariantCulture, pattern, tables.Prefix)
            : tables.Prefix + pattern;
        stories.Select(i => i.Name).Should().Contain(Named(names.Story));
        if (names.Card is not null)
        {
            cards.Single(i => i.Columns.SequenceEqual(CardNaturalKey)).Name.Should().Be(Named(names.Card));
            key.Name.Should().Be(Named(names.Key!));
        }
    }
}
