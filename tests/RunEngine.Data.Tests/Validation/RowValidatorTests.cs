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
        { "long title", s => s.Title = new string('t', 401), "Title", "Story at position 7 of the batch was rejected: Title is 401 characters long; the column (title) allows at most 400. Nothing of the batch was written." },
        { "empty id", s => s.Id = Guid.Empty, "Id", "*Id is required but is Guid.Empty*" },
        { "empty run id", s => s.RunId = Guid.Empty, "RunId", "*RunId is required but is Guid.Empty*" },
        { "negative position", s => s.Position = -1, "Position", "*Position is -1; it must be at least 0*" },
        { "unknown status", s => s.Status = (StoryStatus)99, "Status", "*Status is 99; it must be between 0 and 5*" },
        { "negative status", s => s.Status = (StoryStatus)(-1), "Status", "*Status is -1; it must be between 0 and 5*" },
        { "version zero", s => s.Version = 0, "Version", "*Version is 0; it must be at least 1*" },
        { "malformed metadata", s => s.Metadata = "{\"a\":", "Metadata", "*Metadata is not a valid JSON document*" },
        { "two JSON values", s => s.Metadata = "{} {}", "Metadata", "*Metadata is not a valid JSON document*" },
        { "empty metadata", s => s.Metadata = "", "Metadata", "*Metadata is not a valid JSON document*" },
        { "NUL in body", s => s.Body = "ab\0c", "Body", "*Body contains a NUL character (U+0000) at index 2*" },
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
