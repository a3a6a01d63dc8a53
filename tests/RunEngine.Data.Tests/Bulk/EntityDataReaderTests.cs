using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;
using RunEngine.Data.Tests.Infrastructure;

namespace RunEngine.Data.Tests.Bulk;

public sealed class EntityDataReaderTests
{
    private static readonly string[] StoryColumns =
        ["id", "run_id", "position", "title", "body", "status", "version", "created_at", "updated_at", "metadata", "claimed_by", "lease_expires_at"];

    private static readonly string[] CardColumns =
        ["id", "run_id", "story_id", "position", "title", "description", "status", "version", "created_at", "updated_at", "metadata"];

    [Fact]
    public async Task GetValue_EveryStoryColumn_EqualsSourceObjects()
    {
        var stories = TestRows.Stories(4).ToList();
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, stories);
        using var reader = new EntityDataReader<Story>(source);

        foreach (var story in stories)
        {
            reader.Read().Should().BeTrue();
            reader.GetValue(reader.GetOrdinal("id")).Should().Be(story.Id);
            reader.GetValue(reader.GetOrdinal("run_id")).Should().Be(story.RunId);
            reader.GetValue(reader.GetOrdinal("position")).Should().Be(story.Position);
            reader.GetValue(reader.GetOrdinal("title")).Should().Be(story.Title);
            reader.GetValue(reader.GetOrdinal("body")).Should().Be(story.Body is null ? DBNull.Value : story.Body);
            reader.GetValue(reader.GetOrdinal("status")).Should().Be((short)story.Status);
            reader.GetValue(reader.GetOrdinal("version")).Should().Be(story.Version);
            reader.GetValue(reader.GetOrdinal("created_at")).Should().Be(Timestamps.Normalize(story.CreatedAt));
            var updated = story.UpdatedAt == default ? Timestamps.Normalize(story.CreatedAt) : Timestamps.Normalize(story.UpdatedAt);
            reader.GetValue(reader.GetOrdinal("updated_at")).Should().Be(updated);
            reader.GetValue(reader.GetOrdinal("metadata")).Should().Be(story.Metadata is null ? DBNull.Value : story.Metadata);
        }

        reader.Read().Should().BeFalse();
    }

    [Fact]
    public async Task TypedGetters_EveryCardColumn_EqualSourceObjects()
    {
        var story = TestRows.Story(0);
        var cards = new[] { TestRows.Card(story, 0), TestRows.Card(story, 1, withNulls: true) };
        await using var source = await TestRows.OpenAsync(RunEngineTables.Cards, cards);
        using var reader = new EntityDataReader<Card>(source);

        foreach (var card in cards)
        {
            reader.Read().Should().BeTrue();
            reader.GetGuid(0).Should().Be(card.Id);
            reader.GetGuid(1).Should().Be(card.RunId);
            reader.GetGuid(2).Should().Be(card.StoryId);
            reader.GetInt32(3).Should().Be(card.Position);
            reader.GetString(4).Should().Be(card.Title);
            reader.IsDBNull(5).Should().Be(card.Description is null);
            if (card.Description is not null)
            {
                reader.GetString(5).Should().Be(card.Description);
                reader.GetFieldValue<string>(5).Should().Be(card.Description);
            }

            reader.GetInt16(6).Should().Be((short)card.Status);
            reader.GetFieldValue<short>(6).Should().Be((short)card.Status);
            reader.GetInt32(7).Should().Be(card.Version);
            var created = card.CreatedAt == default ? TestRows.Context.Now : Timestamps.Normalize(card.CreatedAt);
            reader.GetFieldValue<DateTimeOffset>(8).Should().Be(created);
            reader.GetFieldValue<DateTimeOffset>(9).Should().Be(created);
            reader.IsDBNull(10).Should().Be(card.Metadata is null);
            reader.GetFieldValue<Guid>(2).Should().Be(card.StoryId);
            reader.GetFieldValue<object>(0).Should().Be(card.Id);
        }
    }

    [Fact]
    public async Task Schema_StoriesAndCards_NamesTypesAndOrdinalsFollowTheMap()
    {
        await using var stories = await TestRows.OpenAsync(RunEngineTables.Stories, TestRows.Stories(1));
        using var storyReader = new EntityDataReader<Story>(stories);
        var story = TestRows.Story(0);
        await using var cards = await TestRows.OpenAsync(RunEngineTables.Cards, [TestRows.Card(story, 0)]);
        using var cardReader = new EntityDataReader<Card>(cards);

        storyReader.FieldCount.Should().Be(StoryColumns.Length);
        Enumerable.Range(0, storyReader.FieldCount).Select(storyReader.GetName).Should().Equal(StoryColumns);
        StoryColumns.Select(storyReader.GetOrdinal).Should().Equal(Enumerable.Range(0, StoryColumns.Length));
        Enumerable.Range(0, storyReader.FieldCount).Select(storyReader.GetFieldType).Should().Equal(
            typeof(Guid), typeof(Guid), typeof(int), typeof(string), typeof(string), typeof(short), typeof(int),
            typeof(DateTimeOffset), typeof(DateTimeOffset), typeof(string), typeof(string), typeof(DateTimeOffset));

        cardReader.FieldCount.Should().Be(CardColumns.Length);
        Enumerable.Range(0, cardReader.FieldCount).Select(cardReader.GetName).Should().Equal(CardColumns);
        CardColumns.Select(cardReader.GetOrdinal).Should().Equal(Enumerable.Range(0, CardColumns.Length));
    }

    [Fact]
    public async Task GetOrdinal_OtherCaseOrUnknownName_MatchesIgnoringCaseOrThrowsIndexOutOfRange()
    {
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, TestRows.Stories(1));
        using var reader = new EntityDataReader<Story>(source);

        reader.GetOrdinal("TITLE").Should().Be(3);
        var unknown = () => reader.GetOrdinal("seq");
        unknown.Should().Throw<IndexOutOfRangeException>().WithMessage("*seq*");
    }

    [Fact]
    public async Task NullColumns_ReadThroughEveryAccessor_AreDbNull()
    {
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, [TestRows.Story(0, withNulls: true)]);
        using var reader = new EntityDataReader<Story>(source);
        reader.Read().Should().BeTrue();
        var body = reader.GetOrdinal("body");

        reader.IsDBNull(body).Should().BeTrue();
        reader.IsDBNull(reader.GetOrdinal("title")).Should().BeFalse();
        reader.IsDBNull(reader.GetOrdinal("id")).Should().BeFalse();
        reader.GetValue(body).Should().Be(DBNull.Value);
        reader[body].Should().Be(DBNull.Value);
        reader["metadata"].Should().Be(DBNull.Value);
        reader.GetTextReader(body).ReadToEnd().Should().BeEmpty();
        var getString = () => reader.GetString(body);
        getString.Should().Throw<InvalidCastException>().WithMessage("*NULL*");
    }

    [Fact]
    public async Task GetValues_FullAndShortArrays_FillsInColumnOrder()
    {
        var story = TestRows.Story(3);
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, [story]);
        using var reader = new EntityDataReader<Story>(source);
        reader.Read();

        var all = new object[reader.FieldCount];
        reader.GetValues(all).Should().Be(12);
        all[0].Should().Be(story.Id);
        all[3].Should().Be(story.Title);
        all[9].Should().Be(story.Metadata);

        var some = new object[2];
        reader.GetValues(some).Should().Be(2);
        some.Should().Equal(story.Id, story.RunId);
    }

    [Fact]
    public async Task GetTextReaderAndGetChars_TextColumn_ReturnTheText()
    {
        var story = TestRows.Story(1);
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, [story]);
        using var reader = new EntityDataReader<Story>(source);
        reader.Read();

        reader.GetTextReader(3).ReadToEnd().Should().Be(story.Title);
        reader.GetChars(3, 0, null, 0, 0).Should().Be(story.Title.Length);
        var buffer = new char[5];
        reader.GetChars(3, 2, buffer, 0, 5).Should().Be(5);
        new string(buffer).Should().Be(story.Title.Substring(2, 5));
    }

    [Fact]
    public async Task TypedGetter_WrongType_ThrowsInvalidCast()
    {
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, TestRows.Stories(1));
        using var reader = new EntityDataReader<Story>(source);
        reader.Read();

        var asInt = () => reader.GetInt32(0);
        var asGuid = () => reader.GetGuid(3);
        var asDateTime = () => reader.GetDateTime(7);
        asInt.Should().Throw<InvalidCastException>().WithMessage("*id*Guid*Int32*");
        asGuid.Should().Throw<InvalidCastException>();
        asDateTime.Should().Throw<InvalidCastException>();
    }

    [Fact]
    public async Task Read_PastTheEnd_StaysFalseAndHasNoCurrentRow()
    {
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, TestRows.Stories(2));
        using var reader = new EntityDataReader<Story>(source);

        reader.Read().Should().BeTrue();
        reader.Read().Should().BeTrue();
        reader.Read().Should().BeFalse();
        reader.Read().Should().BeFalse();
        (await reader.ReadAsync()).Should().BeFalse();
        var value = () => reader.GetValue(0);
        value.Should().Throw<InvalidOperationException>().WithMessage("*no more rows*");
        source.Count.Should().Be(2);
    }

    [Fact]
    public async Task GetValue_BeforeRead_ThrowsInvalidOperation()
    {
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, TestRows.Stories(1));
        using var reader = new EntityDataReader<Story>(source);

        var value = () => reader.GetValue(0);
        value.Should().Throw<InvalidOperationException>().WithMessage("*call Read*");
    }

    [Fact]
    public async Task Read_CountingSource_PullsOneSourceRowPerRead()
    {
        var sequence = new CountingSequence<Story>(TestRows.Stories(5));
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, sequence);
        using var reader = new EntityDataReader<Story>(source);

        // Opening peeks one row to tell an empty batch apart; after that each Read pulls exactly one.
        sequence.Pulled.Should().Be(1);
        reader.Read();
        sequence.Pulled.Should().Be(1);
        reader.Read();
        sequence.Pulled.Should().Be(2);
        reader.Read();
        sequence.Pulled.Should().Be(3);
    }

    [Fact]
    public async Task ReadAsync_AsynchronousSource_PullsLazilyAndReadsEveryRow()
    {
        var stories = TestRows.Stories(3).ToList();
        var sequence = new CountingSequence<Story>(stories);
        await using var source = await RowSource<Story>.OpenAsync(
            RunEngineTables.Stories, (IAsyncEnumerable<Story>)sequence, TestRows.Context, BulkInsertOptions.Default, CancellationToken.None);
        using var reader = new EntityDataReader<Story>(source!);

        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
            sequence.Pulled.Should().Be(ids.Count);
        }

        ids.Should().Equal(stories.Select(s => s.Id));
    }

    [Fact]
    public async Task ReadAsync_CancelledToken_ReturnsCancelledTask()
    {
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, TestRows.Stories(2));
        using var reader = new EntityDataReader<Story>(source);

        var read = () => reader.ReadAsync(new CancellationToken(canceled: true));
        await read.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Read_WithHead_ReplaysTheHeadInOrderThenContinuesWithTheSource()
    {
        var stories = TestRows.Stories(6).ToList();
        var sequence = new CountingSequence<Story>(stories);
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, sequence);
        var head = await RowSourceHead<Story>.ReadAsync(source, 3);
        using var reader = new EntityDataReader<Story>(source, head.Rows);

        var ids = new List<Guid>();
        while (reader.Read())
        {
            ids.Add(reader.GetGuid(0));
        }

        ids.Should().Equal(stories.Select(s => s.Id));
        source.Count.Should().Be(6);
    }

    [Fact]
    public async Task Read_InvalidRowMidStream_ThrowsValidationErrorWithPosition()
    {
        var stories = TestRows.Stories(5).ToList();
        stories[3].Title = new string('x', RunEngineLimits.TitleMaxLength + 1);
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, stories);
        using var reader = new EntityDataReader<Story>(source);

        reader.Read().Should().BeTrue();
        reader.Read().Should().BeTrue();
        reader.Read().Should().BeTrue();
        var read = () => reader.Read();
        var error = read.Should().Throw<BatchValidationException>().Which;
        error.Position.Should().Be(3);
        error.Field.Should().Be("Title");
        error.Message.Should().Contain("401").And.Contain("400");
    }

    [Fact]
    public async Task Close_Reader_IsClosedAndNoMoreResults()
    {
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, TestRows.Stories(1));
        var reader = new EntityDataReader<Story>(source);

        reader.HasRows.Should().BeTrue();
        reader.NextResult().Should().BeFalse();
        reader.RecordsAffected.Should().Be(-1);
        reader.IsClosed.Should().BeFalse();
        reader.Close();
        reader.IsClosed.Should().BeTrue();
        await reader.DisposeAsync();
    }
}
