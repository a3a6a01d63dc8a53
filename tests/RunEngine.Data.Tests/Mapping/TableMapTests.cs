using RunEngine.Data.Mapping;
using RunEngine.Data.Tests.Infrastructure;

namespace RunEngine.Data.Tests.Mapping;

public sealed class TableMapTests
{
    [Fact]
    public void Columns_Stories_AreInSchemaOrderWithUniqueNamesAndOrdinals()
    {
        var columns = RunEngineTables.Stories.Columns;

        columns.Select(c => c.Name).Should().Equal(
            "id", "run_id", "position", "title", "body", "status", "version", "created_at", "updated_at", "metadata", "claimed_by", "lease_expires_at");
        columns.Select(c => c.Ordinal).Should().Equal(Enumerable.Range(0, columns.Count));
        RunEngineTables.Stories.EntityName.Should().Be("Story");
        RunEngineTables.Stories.TableSuffix.Should().Be("stories");
        RunEngineTables.Stories.GetParentId.Should().BeNull();
    }

    [Fact]
    public void Columns_Cards_AreInSchemaOrderWithUniqueNamesAndAParent()
    {
        var columns = RunEngineTables.Cards.Columns;

        columns.Select(c => c.Name).Should().Equal(
            "id", "run_id", "story_id", "position", "title", "description", "status", "version", "created_at", "updated_at", "metadata");
        columns.Select(c => c.Name).Should().OnlyHaveUniqueItems();
        columns.Select(c => c.Ordinal).Should().Equal(Enumerable.Range(0, columns.Count));
        RunEngineTables.Cards.ParentField.Should().Be(nameof(Card.StoryId));
    }

    [Fact]
    public void Columns_BothTables_HaveTheDocumentedKindsAndLimits()
    {
        foreach (var column in RunEngineTables.Stories.Columns.Cast<object>().Concat(RunEngineTables.Cards.Columns))
        {
            var (name, kind, nullable, maxLength) = column switch
            {
                ColumnMap<Story> s => (s.Name, s.Kind, s.Nullable, s.MaxLength),
                ColumnMap<Card> c => (c.Name, c.Kind, c.Nullable, c.MaxLength),
                _ => throw new InvalidOperationException(),
            };
            var expected = name switch
            {
                "id" or "run_id" or "story_id" => (ColumnKind.Guid, false, (int?)null),
                "position" or "version" => (ColumnKind.Int32, false, null),
                "status" => (ColumnKind.Int16, false, null),
                "title" => (ColumnKind.Text, false, RunEngineLimits.TitleMaxLength),
                "body" or "description" => (ColumnKind.Text, true, null),
                "created_at" or "updated_at" => (ColumnKind.Timestamp, false, null),
                "metadata" => (ColumnKind.Json, true, null),
                "claimed_by" => (ColumnKind.Text, true, RunEngineLimits.WorkerIdMaxLength),
                "lease_expires_at" => (ColumnKind.Timestamp, true, null),
                _ => throw new InvalidOperationException($"Unexpected column {name}"),
            };
            (kind, nullable, maxLength).Should().Be(expected, name);
        }
    }

    [Fact]
    public void FindColumn_KnownAndUnknownNames_ReturnsColumnOrNull()
    {
        RunEngineTables.Cards.FindColumn("story_id")!.PropertyName.Should().Be(nameof(Card.StoryId));
        RunEngineTables.Cards.FindColumn("STORY_ID").Should().BeNull();
        RunEngineTables.Stories.FindColumn("seq").Should().BeNull();
    }

    [Fact]
    public void GetBoxed_UnsetTimestamps_FilledFromTheWriteContext()
    {
        var story = TestRows.Story(0);
        story.CreatedAt = default;
        story.UpdatedAt = default;
        var context = new WriteContext(new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.FromHours(-5)).AddTicks(1_234_567));

        var created = RunEngineTables.Stories.FindColumn("created_at")!.GetBoxed(story, context);
        var updated = RunEngineTables.Stories.FindColumn("updated_at")!.GetBoxed(story, context);

        created.Should().Be(context.Now);
        updated.Should().Be(context.Now);
        context.Now.Offset.Should().Be(TimeSpan.Zero);
        (context.Now.UtcTicks % 10).Should().Be(0);
    }

    [Fact]
    public void GetBoxed_CreatedButNotUpdated_UpdatedDefaultsToCreated()
    {
        var card = TestRows.Card(TestRows.Story(0), 0);
        card.CreatedAt = new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.FromHours(3)).AddTicks(5);
        card.UpdatedAt = default;

        var updated = RunEngineTables.Cards.FindColumn("updated_at")!.GetBoxed(card, TestRows.Context);

        updated.Should().Be(new DateTimeOffset(2025, 12, 31, 20, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void GetBoxed_Status_IsTheEnumValueAsShort()
    {
        var story = TestRows.Story(0);
        story.Status = StoryStatus.Completed;

        RunEngineTables.Stories.FindColumn("status")!.GetBoxed(story, TestRows.Context).Should().Be((short)3);
    }
}
