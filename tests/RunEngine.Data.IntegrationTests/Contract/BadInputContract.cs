using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>Bad input: each case gets a typed error naming the row and field, and leaves the database unchanged.</summary>
public abstract class BadInputContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    protected BadInputContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task AddRangeAsync_NullTitle_RejectsRowAndWritesNothing()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 5).ToList();
        stories[3].Title = null!;

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Entity.Should().Be("Story");
        error.Position.Should().Be(3);
        error.Field.Should().Be("Title");
    }

    [SkippableTheory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\r\n")]
    public async Task AddRangeAsync_EmptyOrWhiteSpaceTitle_RejectsRowAndWritesNothing(string title)
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(2);
        var cards = TestData.Cards(stories, 2);
        cards[2].Title = title;

        var error = await RejectedAsync(() => Db.Cards.AddRangeAsync(cards));

        error.Entity.Should().Be("Card");
        error.Position.Should().Be(2);
        error.Field.Should().Be("Title");
    }

    [SkippableFact]
    public async Task AddRangeAsync_TitleOf401Characters_NamesEntityPositionFieldLimitAndLength()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 4).ToList();
        stories[2].Title = new string('x', RunEngineLimits.TitleMaxLength + 1);

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Entity.Should().Be("Story");
        error.Position.Should().Be(2);
        error.Field.Should().Be("Title");
        error.Message.Should().ContainAll("Story", "position 2", "Title", "400", "401");
    }

    [SkippableFact]
    public async Task AddRangeAsync_CardOfStoryNeitherInBatchNorDatabase_NamesCardAndStoryId()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(2);
        var cards = TestData.Cards(stories, 2);
        var missing = TestData.Story(stories[0].RunId, 50);
        cards.Insert(3, TestData.Card(missing, 0));

        var error = await RejectedAsync(() => Db.Cards.AddRangeAsync(cards));

        error.Entity.Should().Be("Card");
        error.Position.Should().Be(3);
        error.Field.Should().Be("StoryId");
        error.Message.Should().Contain(missing.Id.ToString());
    }

    [SkippableFact]
    public async Task WriteCycleAsync_CardOfStoryNeitherInCycleNorDatabase_WritesNoStoryOfTheCycle()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        var cards = TestData.Cards(stories, 2);
        cards.Add(TestData.Card(TestData.Story(stories[0].RunId, 9), 0));

        var error = await RejectedAsync(() => Db.WriteCycleAsync(stories, cards));

        error.Entity.Should().Be("Card");
        error.Position.Should().Be(6);
        error.Field.Should().Be("StoryId");
        (await StoriesOfRunAsync(stories[0].RunId)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task AddRangeAsync_DuplicateIdsInsideBatch_NamesTheSecondRow()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 6).ToList();
        stories[4].Id = stories[1].Id;

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Entity.Should().Be("Story");
        error.Position.Should().Be(4);
        error.Field.Should().Be("Id");
    }

    [SkippableFact]
    public async Task AddRangeAsync_IdAlreadyInDatabase_RejectsBatchNamingTheId()
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
        error.Message.Should().Contain(existing.Id.ToString());
        if (error.Position is not null)
        {
            error.Position.Should().Be(2, "a provider that reports the row must report the right one");
        }
    }

    [SkippableFact]
    public async Task AddRangeAsync_PositionAlreadyTakenInRun_RejectsBatchNamingPosition()
    {
        Fixture.SkipIfUnavailable();
        var existing = await SeedStoriesAsync(3);
        var stories = TestData.Stories(existing[0].RunId, 3, firstPosition: 3).ToList();
        stories[1].Position = 1;

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Entity.Should().Be("Story");
        error.Field.Should().Be("Position");
        if (error.Position is not null)
        {
            error.Position.Should().Be(1, "a provider that reports the row must report the right one");
        }
    }

    [SkippableFact]
    public async Task AddRangeAsync_InvalidMetadataJson_NamesMetadata()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        stories[1].Metadata = """{"unterminated": [1, 2""";

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Entity.Should().Be("Story");
        error.Position.Should().Be(1);
        error.Field.Should().Be("Metadata");
    }

    [SkippableTheory]
    [InlineData(nameof(Card.Id))]
    [InlineData(nameof(Card.RunId))]
    [InlineData(nameof(Card.StoryId))]
    public async Task AddRangeAsync_EmptyGuid_NamesTheField(string field)
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(1);
        var cards = TestData.Cards(stories, 3);
        _ = field switch
        {
            nameof(Card.Id) => cards[1].Id = Guid.Empty,
            nameof(Card.RunId) => cards[1].RunId = Guid.Empty,
            _ => cards[1].StoryId = Guid.Empty,
        };

        var error = await RejectedAsync(() => Db.Cards.AddRangeAsync(cards));

        error.Entity.Should().Be("Card");
        error.Position.Should().Be(1);
        error.Field.Should().Be(field);
    }

    [SkippableTheory]
    [InlineData(nameof(Story.Position))]
    [InlineData(nameof(Story.Status))]
    [InlineData(nameof(Story.Version))]
    public async Task AddRangeAsync_NumberOutOfRange_NamesTheField(string field)
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        switch (field)
        {
            case nameof(Story.Position): stories[2].Position = -1; break;
            case nameof(Story.Status): stories[2].Status = (StoryStatus)99; break;
            default: stories[2].Version = 0; break;
        }

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Position.Should().Be(2);
        error.Field.Should().Be(field);
    }

    [SkippableFact]
    public async Task AddRangeAsync_NullRow_NamesThePosition()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        stories[1] = null!;

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Position.Should().Be(1);
    }

    [SkippableFact]
    public async Task AddRangeAsync_BadRowLateInLargeBatch_WritesNothing()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 5_000).ToList();
        stories[4_321].Title = null!;

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Position.Should().Be(4_321);
        (await StoriesOfRunAsync(stories[0].RunId)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task AddRangeAsync_TokenCancelledMidBatch_ThrowsCancelledAndWritesNothing()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var before = await CountStoriesAsync();
        using var cancellation = new CancellationTokenSource();
        var stories = TestData.CancellingAfter(TestData.Stories(runId, 2_000), cancelAfter: 700, cancellation);

        var act = () => Db.Stories.AddRangeAsync(stories, cancellationToken: cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await CountStoriesAsync()).Should().Be(before);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_TokenCancelledWhileCardsStream_WritesNoStoryOfTheCycle()
    {
        Fixture.SkipIfUnavailable();
        var (storyCount, cardCount) = (await CountStoriesAsync(), await CountCardsAsync());
        var stories = TestData.Stories(TestData.NewRunId(), 10).ToList();
        using var cancellation = new CancellationTokenSource();
        var cards = TestData.ToAsync(TestData.CancellingAfter(TestData.Cards(stories, 10), cancelAfter: 50, cancellation));

        var act = () => Db.WriteCycleAsync(TestData.ToAsync(stories), cards, cancellationToken: cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await CountStoriesAsync()).Should().Be(storyCount);
        (await CountCardsAsync()).Should().Be(cardCount);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_InvalidCard_WritesNoStoryOfTheCycle()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        var cards = TestData.Cards(stories, 2);
        cards[4].Title = new string('y', RunEngineLimits.TitleMaxLength + 1);

        var error = await RejectedAsync(() => Db.WriteCycleAsync(stories, cards));

        error.Entity.Should().Be("Card");
        error.Position.Should().Be(4);
        error.Field.Should().Be("Title");
        (await StoriesOfRunAsync(stories[0].RunId)).Should().BeEmpty();
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
