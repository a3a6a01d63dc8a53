using RunEngine.Data.Bulk;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Unique and foreign-key violations: each is explained with the offending key (which id, which natural key, which
/// story), whether it repeats a row of the same batch or one already stored, and the row's position where the
/// provider can know it without holding per-row state; the database keeps its row counts.
/// </summary>
public abstract class KeyViolationContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    /// <summary>Rows past the library's window (<see cref="RowWindow.Capacity"/>), for the cases only the database sees.</summary>
    private const int BeyondWindow = RowWindow.Capacity + 1_000;

    protected KeyViolationContract(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>
    /// Whether the provider reports the position of a row the database rejected on a unique key (SQLite writes one
    /// row per statement; PostgreSQL's COPY names the line). SQL Server's bulk load and multi-row INSERT do not.
    /// </summary>
    protected virtual bool ReportsRejectedRow => true;

    /// <summary>Whether the provider reports the row a foreign key rejected (SQLite only: PostgreSQL checks at the end of the COPY).</summary>
    protected virtual bool ReportsForeignKeyRow => true;

    /// <summary>Whether the provider's foreign-key error carries the key (SQL Server's 547 names only the constraint).</summary>
    protected virtual bool NamesForeignKey => true;

    [SkippableFact]
    public async Task AddRangeAsync_IdAlreadyStored_NamesIdAndAlreadyStored()
    {
        Fixture.SkipIfUnavailable();
        var existing = (await SeedStoriesAsync(1))[0];

        // On run keys (PostgreSQL's distributed layout) an id is unique within its run: the duplicate goes into the
        // stored story's run there (positions 1 to 4, after the stored one's 0), into a new run elsewhere.
        var stories = Fixture.KeysCarryRun
            ? TestData.Stories(existing.RunId, 5).Skip(1).ToList()
            : TestData.Stories(TestData.NewRunId(), 4).ToList();
        stories[2].Id = existing.Id;

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Entity.Should().Be("Story");
        error.Field.Should().Be("Id");
        error.Position.Should().Be(2);
        error.Reason.Should().Contain(existing.Id.ToString()).And.Contain("already stored");
    }

    [SkippableFact]
    public async Task AddRangeAsync_SameIdTwiceEarly_NamesSecondRowAndSameBatch()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 6).ToList();
        stories[4].Id = stories[0].Id;

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Entity.Should().Be("Story");
        error.Field.Should().Be("Id");
        error.Position.Should().Be(4);
        error.Reason.Should().Contain(stories[0].Id.ToString()).And.Contain("same batch").And.Contain("position 0");
    }

    [SkippableFact]
    public async Task AddRangeAsync_SameIdAtStartAndBeyondWindow_NamesLateRowAndSameBatch()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), BeyondWindow).ToList();
        stories[BeyondWindow - 1].Id = stories[0].Id;

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Field.Should().Be("Id");
        error.Position.Should().Be(BeyondWindow - 1);
        error.Reason.Should().Contain(stories[0].Id.ToString()).And.Contain("same batch");
    }

    [SkippableFact]
    public async Task AddRangeAsync_SameIdTwiceBeyondWindow_DatabaseCatchesItAsSameBatch()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), BeyondWindow).ToList();
        var first = RowWindow.Capacity + 100;
        var second = RowWindow.Capacity + 500;
        stories[second].Id = stories[first].Id;

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Entity.Should().Be("Story");
        error.Field.Should().Be("Id");
        error.Reason.Should().Contain(stories[first].Id.ToString()).And.Contain("same batch");
        error.Position.Should().Be(ReportsRejectedRow ? second : null);
    }

    [SkippableFact]
    public async Task AddRangeAsync_StoryPositionTwiceInBatch_NamesRunPositionAndSameBatch()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 5).ToList();
        stories[3].Position = 1;

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Entity.Should().Be("Story");
        error.Field.Should().Be("Position");
        error.Reason.Should().Contain($"(run_id, position) = ({runId}, 1)").And.Contain("same batch");
        error.Position.Should().Be(ReportsRejectedRow ? 3 : null);
    }

    [SkippableFact]
    public async Task AddRangeAsync_StoryPositionAlreadyStored_NamesRunPositionAndStoredStory()
    {
        Fixture.SkipIfUnavailable();
        var existing = await SeedStoriesAsync(3);
        var stories = TestData.Stories(existing[0].RunId, 3, firstPosition: 3).ToList();
        stories[1].Position = 1;

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Field.Should().Be("Position");
        error.Reason.Should().Contain($"({existing[0].RunId}, 1)").And.Contain("already stored").And.Contain(existing[1].Id.ToString());
        error.Position.Should().Be(ReportsRejectedRow ? 1 : null);
    }

    [SkippableFact]
    public async Task AddRangeAsync_CardPositionTwiceInBatch_NamesStoryPositionAndSameBatch()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(2);
        var cards = TestData.Cards(stories, 3);
        cards[4].Position = cards[3].Position;

        var error = await RejectedAsync(() => Db.Cards.AddRangeAsync(cards));

        error.Entity.Should().Be("Card");
        error.Field.Should().Be("Position");
        error.Reason.Should().Contain(cards[3].StoryId.ToString()).And.Contain("same batch");
        error.Position.Should().Be(ReportsRejectedRow ? 4 : null);
    }

    [SkippableFact]
    public async Task AddRangeAsync_CardPositionAlreadyStored_NamesStoryPositionAndAlreadyStored()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(1);
        var stored = TestData.Cards(stories, 2);
        await Db.Cards.AddRangeAsync(stored);
        var cards = new List<Card> { TestData.Card(stories[0], 2), TestData.Card(stories[0], 1) };

        var error = await RejectedAsync(() => Db.Cards.AddRangeAsync(cards));

        error.Field.Should().Be("Position");
        error.Reason.Should().Contain(stories[0].Id.ToString()).And.Contain("already stored").And.Contain(stored[1].Id.ToString());
        error.Position.Should().Be(ReportsRejectedRow ? 1 : null);
    }

    [SkippableFact]
    public async Task AddRangeAsync_CardOfMissingStory_NamesStoryAndPosition()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(3);
        var cards = TestData.Cards(stories, 2);
        var missing = TestData.Story(stories[0].RunId, 99);
        cards.Insert(5, TestData.Card(missing, 0));

        var error = await RejectedAsync(() => Db.Cards.AddRangeAsync(cards));

        error.Entity.Should().Be("Card");
        error.Field.Should().Be("StoryId");
        error.Position.Should().Be(5);
        error.Reason.Should().Contain(missing.Id.ToString()).And.Contain("neither in this batch nor in the database");
    }

    [SkippableFact]
    public async Task AddRangeAsync_CardOfMissingStoryBeyondWindow_NamedWhereTheDatabaseSaysIt()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(BeyondWindow);
        var cards = TestData.Cards(stories, 1);
        var late = RowWindow.Capacity + 300;
        var missing = TestData.Story(stories[0].RunId, BeyondWindow + 1);
        cards[late] = TestData.Card(missing, 0);

        var error = await RejectedAsync(() => Db.Cards.AddRangeAsync(cards));

        error.Entity.Should().Be("Card");
        error.Field.Should().Be("StoryId");
        if (NamesForeignKey)
        {
            error.Reason.Should().Contain(missing.Id.ToString()).And.Contain("neither in this batch nor in the database");
            error.Position.Should().Be(ReportsForeignKeyRow ? late : null);
        }
        else
        {
            error.Reason.Should().Contain("beyond the first 16,384");
            error.Position.Should().BeNull();
        }
    }

    [SkippableFact]
    public async Task WriteCycleAsync_CardRunDiffersFromItsStoryInTheCycle_RejectedBeforeSendingNamingBothRuns()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        var cards = TestData.Cards(stories, 2);
        var otherRun = TestData.NewRunId();
        cards[3].RunId = otherRun;

        var error = await RejectedAsync(() => Db.WriteCycleAsync(stories, cards));

        error.Entity.Should().Be("Card");
        error.Position.Should().Be(3);
        error.Field.Should().Be("RunId");
        error.Reason.Should().Contain(otherRun.ToString()).And.Contain(stories[0].RunId.ToString()).And.Contain(cards[3].StoryId.ToString());
    }

    /// <summary>Needs schema version 3's composite foreign key (run_id, story_id) → stories (run_id, id).</summary>
    [SkippableFact]
    public async Task AddRangeAsync_CardRunDiffersFromStoredStory_DatabaseRejectsNamingBothRuns()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(2);
        var cards = TestData.Cards(stories, 2);
        var otherRun = TestData.NewRunId();
        cards[2].RunId = otherRun;

        var error = await RejectedAsync(() => Db.Cards.AddRangeAsync(cards));

        error.Entity.Should().Be("Card");
        error.Field.Should().Be("RunId");
        error.Position.Should().Be(2);
        error.Reason.Should().Contain(otherRun.ToString()).And.Contain(stories[1].RunId.ToString()).And.Contain("already stored");
    }

    /// <summary>Runs <paramref name="act"/>, expects a <see cref="BatchValidationException"/> and checks both tables kept their row counts.</summary>
    private async Task<BatchValidationException> RejectedAsync(Func<Task> act)
    {
        var (stories, cards) = (await CountStoriesAsync(), await CountCardsAsync());

        var error = (await act.Should().ThrowAsync<BatchValidationException>()).Which;

        (await CountStoriesAsync()).Should().Be(stories, "a rejected batch leaves no story behind");
        (await CountCardsAsync()).Should().Be(cards, "a rejected batch leaves no card behind");
        error.Message.Should().Contain("Nothing of the batch was written");
        return error;
    }
}
