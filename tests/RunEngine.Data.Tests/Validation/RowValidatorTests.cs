using RunEngine.Data.Mapping;
using RunEngine.Data.Tests.Infrastructure;
using RunEngine.Data.Validation;

namespace RunEngine.Data.Tests.Validation;

public sealed class RowValidatorTests
{
    private static readonly RowValidator<Story> Stories = new(RunEngineTables.Stories);
    private static readonly RowValidator<Card> Cards = new(RunEngineTables.Cards);

    public static TheoryData<string, Action<Story>, string, string> InvalidStories => new()
    {
        { "null title", s => s.Title = null!, "Title", "Story at position 7 of the batch was rejected: Title is required but is null. Nothing of the batch was written." },
        { "empty title", s => s.Title = "", "Title", "Story at position 7 of the batch was rejected: Title is required but is empty or white space. Nothing of the batch was written." },
        { "blank title", s => s.Title = " \t ", "Title", "*Title is required but is empty or white space*" },
        { "long title", s => s.Title = new string('t', 401), "Title", "Story at position 7 of the batch was rejected: Title is 401 UTF-16 code units long; the column (title) allows at most 400 UTF-16 code units. Nothing of the batch was written." },
        { "empty id", s => s.Id = Guid.Empty, "Id", "*Id is required but is Guid.Empty*" },
        { "empty run id", s => s.RunId = Guid.Empty, "RunId", "*RunId is required but is Guid.Empty*" },
        { "negative position", s => s.Position = -1, "Position", "*Position is -1; it must be at least 0*" },
        { "unknown status", s => s.Status = (StoryStatus)99, "Status", "*Status is 99; it must be between 0 and 5*" },
        { "negative status", s => s.Status = (StoryStatus)(-1), "Status", "*Status is -1; it must be between 0 and 5*" },
        { "version zero", s => s.Version = 0, "Version", "*Version is 0; it must be at least 1*" },
        { "malformed metadata", s => s.Metadata = "{\"a\":", "Metadata", "*Metadata is not a valid JSON document*" },
        { "two JSON values", s => s.Metadata = "{} {}", "Metadata", "*Metadata is not a valid JSON document*" },
        { "empty metadata", s => s.Metadata = "", "Metadata", "*Metadata is not a valid JSON document*" },
        { "NUL in body", s => s.Body = "ab\0c", "Body", "*Body contains a NUL character (U+0000) at UTF-16 index 2*" },
        { "lone high surrogate in title", s => s.Title = "a\uD800b", "Title", "*Title contains an unpaired UTF-16 high surrogate at UTF-16 index 1*" },
        { "lone low surrogate in body", s => s.Body = "\uDC00", "Body", "*Body contains an unpaired UTF-16 low surrogate at UTF-16 index 0*" },
        { "high surrogate at the end of claimed_by", s => s.ClaimedBy = "worker\uD83D", "ClaimedBy", "*ClaimedBy contains an unpaired UTF-16 high surrogate at UTF-16 index 6*" },
        { "lone surrogate in metadata", s => s.Metadata = "\"\uD800\"", "Metadata", "*Metadata contains an unpaired UTF-16 high surrogate at UTF-16 index 1*" },
        { "NUL escape in metadata", s => s.Metadata = "{\"a\":\"\\u0000\"}", "Metadata", "*Metadata is not a valid JSON document: a \\u0000 escape*line 1, byte 6 *" },
        { "lone surrogate escape in metadata", s => s.Metadata = "{\"a\":\"\\ud800\"}", "Metadata", "*Metadata is not a valid JSON document: a high-surrogate \\u escape*" },
        { "huge number in metadata", s => s.Metadata = "{\"n\":1e1000000}", "Metadata", "*Metadata is not a valid JSON document: a number with more than 131,072 digits before the decimal point*" },
    };

    [Theory]
    [MemberData(nameof(InvalidStories))]
    public void Validate_InvalidStory_ThrowsNamingEntityPositionFieldAndLimit(string scenario, Action<Story> breakIt, string field, string message)
    {
        var story = TestRows.Story(7);
        breakIt(story);

        var validate = () => Stories.Validate(story, 7, TestRows.Context);

        var error = validate.Should().Throw<BatchValidationException>(scenario).Which;
        error.Entity.Should().Be("Story");
        error.Position.Should().Be(7);
        error.Field.Should().Be(field);
        error.Message.Should().Match(message);
    }

    [Fact]
    public void Validate_LongTitle_NeverEchoesTheValue()
    {
        var story = TestRows.Story(0);
        story.Title = "SECRET" + new string('x', 400);

        var validate = () => Stories.Validate(story, 0, TestRows.Context);

        validate.Should().Throw<BatchValidationException>().Which.Message.Should().NotContain("SECRET");
    }

    public static TheoryData<string, Action<RunEvent>, string> InvalidEvents => new()
    {
        { "lone surrogate in kind", e => e.Kind = "k\uDFFF", "Kind" },
        { "lone surrogate in message", e => e.Message = "\uD800", "Message" },
        { "NUL in worker", e => e.Worker = "w\0x", "Worker" },
        { "long message", e => e.Message = new string('m', RunEngineLimits.EventMessageMaxLength + 1), "Message" },
    };

    [Theory]
    [MemberData(nameof(InvalidEvents))]
    public void Validate_InvalidRunEvent_ThrowsNamingTheField(string scenario, Action<RunEvent> breakIt, string field)
    {
        var entry = TestRows.Event(4);
        breakIt(entry);

        var validate = () => new RowValidator<RunEvent>(RunEngineTables.RunLog).Validate(entry, 4, TestRows.Context);

        var error = validate.Should().Throw<BatchValidationException>(scenario).Which;
        error.Entity.Should().Be("RunEvent");
        error.Position.Should().Be(4);
        error.Field.Should().Be(field);
    }

    [Theory]
    [InlineData("Title")]
    [InlineData("Description")]
    [InlineData("Metadata")]
    public void Validate_CardLoneSurrogate_ThrowsNamingTheFieldAndIndex(string field)
    {
        var card = TestRows.Card(TestRows.Story(0), 0);
        _ = field switch
        {
            "Title" => card.Title = "ok\uDC00",
            "Description" => card.Description = "ok\uDC00",
            _ => card.Metadata = "\"ok\uDC00\"",
        };

        var validate = () => Cards.Validate(card, 2, TestRows.Context);

        var error = validate.Should().Throw<BatchValidationException>().Which;
        error.Field.Should().Be(field);
        error.Reason.Should().Contain("low surrogate").And.Contain(field == "Metadata" ? "index 3" : "index 2");
    }

    [Fact]
    public void Validate_SurrogatePairsInEveryTextField_Passes()
    {
        var story = TestRows.Story(0);
        story.Title = "\U0001F600 title \U0001F680";
        story.Body = "\U0001F600";
        story.ClaimedBy = "worker \U0001F680";
        story.Metadata = "{\"e\":\"\U0001F600\",\"x\":\"\\ud83d\\ude00\"}";

        var validate = () => Stories.Validate(story, 0, TestRows.Context);

        validate.Should().NotThrow();
    }

    [Fact]
    public void Validate_InvalidJson_NeverQuotesTheValue()
    {
        var story = TestRows.Story(0);
        story.Metadata = "[tokenSECRET]";

        var validate = () => Stories.Validate(story, 0, TestRows.Context);

        var error = validate.Should().Throw<BatchValidationException>().Which;
        error.Message.Should().NotContain("SECRET").And.NotContain("token").And.Contain("line 1, byte 1 ");
    }

    [Fact]
    public void Validate_NullRow_ThrowsWithPosition()
    {
        var validate = () => Stories.Validate(null!, 3, TestRows.Context);

        var error = validate.Should().Throw<BatchValidationException>().Which;
        error.Position.Should().Be(3);
        error.Field.Should().Be("(row)");
        error.Reason.Should().Be("is null");
    }

    [Fact]
    public void Validate_CardWithoutStory_ThrowsOnStoryId()
    {
        var card = TestRows.Card(TestRows.Story(0), 0);
        card.StoryId = Guid.Empty;

        var validate = () => Cards.Validate(card, 12, TestRows.Context);

        var error = validate.Should().Throw<BatchValidationException>().Which;
        error.Message.Should().Be("Card at position 12 of the batch was rejected: StoryId is required but is Guid.Empty. Nothing of the batch was written.");
    }

    [Fact]
    public void Validate_CardUnknownStatus_ThrowsWithCardStatusRange()
    {
        var card = TestRows.Card(TestRows.Story(0), 0);
        card.Status = (CardStatus)5;

        var validate = () => Cards.Validate(card, 0, TestRows.Context);

        validate.Should().Throw<BatchValidationException>().Which.Reason.Should().Be("is 5; it must be between 0 and 4");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("[1, {\"a\": null}]")]
    [InlineData("{\"nested\": {\"deep\": [true, false]}}")]
    public void Validate_ValidMetadata_Passes(string? metadata)
    {
        var story = TestRows.Story(0);
        story.Metadata = metadata;

        var validate = () => Stories.Validate(story, 0, TestRows.Context);

        validate.Should().NotThrow();
    }

    [Fact]
    public void Validate_TitleAtTheLimitAndOptionalNulls_Passes()
    {
        var story = TestRows.Story(0, withNulls: true);
        story.Title = new string('t', RunEngineLimits.TitleMaxLength);

        var validate = () => Stories.Validate(story, 0, TestRows.Context);

        validate.Should().NotThrow();
    }
}
