using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;
using RunEngine.Data.Tests.Infrastructure;

namespace RunEngine.Data.Tests.Bulk;

public sealed class RowSourceTests
{
    [Fact]
    public async Task OpenAsync_ZeroRows_ReturnsNullAndDisposesTheEnumerator()
    {
        var sequence = new CountingSequence<Story>([]);

        var source = await RowSource<Story>.OpenAsync(
            RunEngineTables.Stories, (IEnumerable<Story>)sequence, TestRows.Context, BulkInsertOptions.Default, CancellationToken.None);

        source.Should().BeNull();
        sequence.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task OpenAsync_ZeroRowsAsync_ReturnsNull()
    {
        var source = await RowSource<Story>.OpenAsync(
            RunEngineTables.Stories, AsyncEnumerable.Empty<Story>(), TestRows.Context, BulkInsertOptions.Default, CancellationToken.None);

        source.Should().BeNull();
    }

    [Fact]
    public async Task MoveNext_EveryRow_HandsOutRowsInOrderAndCountsThem()
    {
        var stories = TestRows.Stories(4).ToList();
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, stories);

        var seen = new List<Story>();
        while (await source.MoveNextAsync())
        {
            seen.Add(source.Current);
            source.Count.Should().Be(seen.Count);
        }

        seen.Should().Equal(stories);
        source.Window.Ids.Keys.Should().BeEquivalentTo(stories.Select(s => s.Id));
    }

    [Fact]
    public async Task MoveNext_DuplicateId_ThrowsWithPositionOfTheSecondRow()
    {
        var stories = TestRows.Stories(4).ToList();
        stories[2].Id = stories[0].Id;
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, stories);

        source.MoveNext().Should().BeTrue();
        source.MoveNext().Should().BeTrue();
        var next = () => source.MoveNext();

        var error = next.Should().Throw<BatchValidationException>().Which;
        error.Entity.Should().Be("Story");
        error.Position.Should().Be(2);
        error.Field.Should().Be("Id");
        error.Reason.Should().Contain(stories[0].Id.ToString()).And.Contain("earlier row");
    }

    [Fact]
    public async Task MoveNext_CancelledMidBatch_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, TestRows.Stories(5), cancellationToken: cancellation.Token);

        (await source.MoveNextAsync()).Should().BeTrue();
        (await source.MoveNextAsync()).Should().BeTrue();
        await cancellation.CancelAsync();
        var next = () => source.MoveNextAsync().AsTask();

        await next.Should().ThrowAsync<OperationCanceledException>();
        source.Count.Should().Be(2);
    }

    [Fact]
    public async Task OpenAsync_AlreadyCancelled_ThrowsBeforePullingARow()
    {
        var sequence = new CountingSequence<Story>(TestRows.Stories(3));
        var open = () => RowSource<Story>.OpenAsync(
            RunEngineTables.Stories, (IEnumerable<Story>)sequence, TestRows.Context, BulkInsertOptions.Default, new CancellationToken(canceled: true)).AsTask();

        await open.Should().ThrowAsync<OperationCanceledException>();
        sequence.Pulled.Should().Be(0);
    }

    [Fact]
    public async Task Progress_EveryIntervalAndAtTheEnd_ReportsRowCounts()
    {
        var progress = new RecordingProgress();
        var options = new BulkInsertOptions { Progress = progress, ProgressInterval = 2 };
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, TestRows.Stories(5), options);

        while (await source.MoveNextAsync())
        {
        }

        source.ReportCompleted();
        source.ReportCompleted();
        progress.Reports.Should().Equal(2, 4, 5);
    }

    [Fact]
    public async Task ParentReferences_Cards_RecordFirstPositionPerStory()
    {
        var first = TestRows.Story(0);
        var second = TestRows.Story(1);
        Card[] cards = [TestRows.Card(first, 0), TestRows.Card(second, 0), TestRows.Card(first, 1)];
        await using var source = await TestRows.OpenAsync(RunEngineTables.Cards, cards);

        while (await source.MoveNextAsync())
        {
        }

        source.Window.Parents.Should().BeEquivalentTo(new Dictionary<(Guid, Guid), long> { [(first.Id, first.RunId)] = 0, [(second.Id, second.RunId)] = 1 });
    }

    [Fact]
    public async Task MoveNext_GeneratorThrows_PropagatesTheCallersException()
    {
        var sequence = new CountingSequence<Story>(TestRows.Stories(3), failAt: 2);
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, sequence);

        source.MoveNext().Should().BeTrue();
        source.MoveNext().Should().BeTrue();
        var next = () => source.MoveNext();

        next.Should().Throw<InvalidOperationException>().WithMessage("generator failed");
    }

    [Fact]
    public async Task DisposeAsync_OpenSource_DisposesTheCallersEnumerator()
    {
        var sequence = new CountingSequence<Story>(TestRows.Stories(3));
        var source = await TestRows.OpenAsync(RunEngineTables.Stories, sequence);

        await source.DisposeAsync();

        sequence.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task Window_MoreRowsThanItsCapacity_StopsGrowing()
    {
        var cards = BeyondWindowCards().ToList();
        await using var source = await TestRows.OpenAsync(RunEngineTables.Cards, cards);

        while (await source.MoveNextAsync())
        {
        }

        source.Count.Should().Be(cards.Count);
        source.Window.Ids.Should().HaveCount(RowWindow.Capacity);
        source.Window.Parents.Should().HaveCount(RowWindow.Capacity);
        source.Window.HoldsEveryId.Should().BeFalse();
        source.Window.HoldsEveryParent.Should().BeFalse();
    }

    [Fact]
    public async Task MoveNext_IdOfRememberedRowRepeatedBeyondWindow_ThrowsWithBothPositions()
    {
        var stories = Enumerable.Range(0, RowWindow.Capacity + 10).Select(i => TestRows.Story(i)).ToList();
        stories[^1].Id = stories[3].Id;
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, stories);

        var drain = async () =>
        {
            while (await source.MoveNextAsync())
            {
            }
        };

        var error = (await drain.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Position.Should().Be(stories.Count - 1);
        error.Reason.Should().Contain(stories[3].Id.ToString()).And.Contain("position 3").And.Contain("same batch");
    }

    [Fact]
    public async Task CheckParentRunsAgainst_CardOfAnotherRunThanItsStory_ThrowsNamingBothRuns()
    {
        var stories = TestRows.Stories(2).ToList();
        await using var storySource = await TestRows.OpenAsync(RunEngineTables.Stories, stories);
        while (await storySource.MoveNextAsync())
        {
        }

        var cards = new List<Card> { TestRows.Card(stories[0], 0), TestRows.Card(stories[1], 0) };
        var otherRun = Guid.CreateVersion7();
        cards[1].RunId = otherRun;
        await using var cardSource = await TestRows.OpenAsync(RunEngineTables.Cards, cards);
        cardSource.CheckParentRunsAgainst(storySource.Window);

        (await cardSource.MoveNextAsync()).Should().BeTrue();
        var next = () => cardSource.MoveNextAsync().AsTask();

        var error = (await next.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Entity.Should().Be("Card");
        error.Position.Should().Be(1);
        error.Field.Should().Be("RunId");
        error.Reason.Should().Contain(otherRun.ToString()).And.Contain(stories[1].RunId.ToString());
    }

    private static IEnumerable<Card> BeyondWindowCards()
    {
        for (var i = 0; i < RowWindow.Capacity + 100; i++)
        {
            yield return TestRows.Card(TestRows.Story(i), 0);
        }
    }
}
