using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;
using RunEngine.Data.Tests.Infrastructure;

namespace RunEngine.Data.Tests.Bulk;

public sealed class RowSourceHeadTests
{
    [Fact]
    public async Task ReadAsync_FewerRowsThanLimit_ReturnsTheWholeBatchInOrder()
    {
        var stories = TestRows.Stories(3).ToList();
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, stories);

        var head = await RowSourceHead<Story>.ReadAsync(source, 5);

        head.IsWholeBatch.Should().BeTrue();
        head.Rows.Should().Equal(stories);
        source.Count.Should().Be(3);
    }

    [Fact]
    public async Task ReadAsync_AsManyRowsAsLimit_IsNotWholeAndPullsNoMoreThanLimit()
    {
        var sequence = new CountingSequence<Story>(TestRows.Stories(10));
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, sequence);

        var head = await RowSourceHead<Story>.ReadAsync(source, 4);

        head.IsWholeBatch.Should().BeFalse();
        head.Rows.Should().HaveCount(4);
        sequence.Pulled.Should().Be(4);
        source.Count.Should().Be(4);
    }

    [Fact]
    public async Task ReadAsync_ExactlyLimitRows_GoesToTheLargeBatchPath()
    {
        // "Fewer rows than the threshold" is the small path; a batch of exactly the threshold is not small.
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, TestRows.Stories(4));

        var head = await RowSourceHead<Story>.ReadAsync(source, 4);

        head.IsWholeBatch.Should().BeFalse();
        head.Rows.Should().HaveCount(4);
    }

    [Fact]
    public async Task ReadAsync_ZeroLimit_PullsNothing()
    {
        var sequence = new CountingSequence<Story>(TestRows.Stories(3));
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, sequence);

        var head = await RowSourceHead<Story>.ReadAsync(source, 0);

        head.IsWholeBatch.Should().BeFalse();
        head.Rows.Should().BeEmpty();
        source.Count.Should().Be(0);
    }

    [Fact]
    public async Task ReadAsync_InvalidRowInsideTheHead_ThrowsValidationErrorWithPosition()
    {
        var stories = TestRows.Stories(3).ToList();
        stories[1].Title = "   ";
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, stories);

        var read = () => RowSourceHead<Story>.ReadAsync(source, 10).AsTask();

        var error = (await read.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Position.Should().Be(1);
        error.Field.Should().Be("Title");
    }
}
