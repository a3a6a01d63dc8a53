using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;
using RunEngine.Data.Tests.Infrastructure;

namespace RunEngine.Data.Tests.Bulk;

/// <summary>Nullable value-type columns (Guid?, DateTimeOffset?) as SqlBulkCopy reads them: NULL or the underlying value.</summary>
public sealed class EntityDataReaderNullableTests
{
    private static readonly Guid StoryId = Guid.Parse("0190f0a0-0000-7000-8000-0000000000aa");
    private static readonly Guid CardId = Guid.Parse("0190f0a0-0000-7000-8000-0000000000bb");

    [Fact]
    public async Task IsDBNullAndGetValue_NullableGuidColumns_FollowTheValue()
    {
        await using var source = await TestRows.OpenAsync(RunEngineTables.RunLog, [TestRows.Event(0, StoryId), TestRows.Event(1, card: CardId)]);
        using var reader = new EntityDataReader<RunEvent>(source);
        var story = reader.GetOrdinal("story_id");
        var card = reader.GetOrdinal("card_id");

        reader.Read().Should().BeTrue();
        reader.IsDBNull(story).Should().BeFalse();
        reader.GetValue(story).Should().BeOfType<Guid>().Which.Should().Be(StoryId);
        reader.IsDBNull(card).Should().BeTrue();
        reader.GetValue(card).Should().Be(DBNull.Value);

        reader.Read().Should().BeTrue();
        reader.IsDBNull(story).Should().BeTrue();
        reader.GetValue(story).Should().Be(DBNull.Value);
        reader.IsDBNull(card).Should().BeFalse();
        reader.GetValue(card).Should().Be(CardId);
    }

    [Fact]
    public async Task TypedGetters_NullableGuidColumn_ReturnTheUnderlyingValueOrThrowOnNull()
    {
        await using var source = await TestRows.OpenAsync(RunEngineTables.RunLog, [TestRows.Event(0, StoryId)]);
        using var reader = new EntityDataReader<RunEvent>(source);
        reader.Read();
        var story = reader.GetOrdinal("story_id");
        var card = reader.GetOrdinal("card_id");

        reader.GetGuid(story).Should().Be(StoryId);
        reader.GetFieldValue<Guid>(story).Should().Be(StoryId);
        var nullGuid = () => reader.GetGuid(card);
        var nullField = () => reader.GetFieldValue<Guid>(card);
        nullGuid.Should().Throw<InvalidCastException>().WithMessage("*card_id*NULL*");
        nullField.Should().Throw<InvalidCastException>().WithMessage("*card_id*NULL*");
    }

    [Fact]
    public async Task NullableTimestamp_LeaseSetOrNot_IsDbNullOrTheNormalizedUtcValue()
    {
        var leased = TestRows.Story(0);
        leased.ClaimedBy = "worker-1";
        leased.LeaseExpiresAt = new DateTimeOffset(2026, 11, 28, 14, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var free = TestRows.Story(1);
        await using var source = await TestRows.OpenAsync(RunEngineTables.Stories, [leased, free]);
        using var reader = new EntityDataReader<Story>(source);
        var lease = reader.GetOrdinal("lease_expires_at");
        var claimedBy = reader.GetOrdinal("claimed_by");
        var expected = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);

        reader.Read().Should().BeTrue();
        reader.IsDBNull(lease).Should().BeFalse();
        reader.GetValue(lease).Should().BeOfType<DateTimeOffset>().Which.Should().Be(expected);
        reader.GetFieldValue<DateTimeOffset>(lease).Should().Be(expected);
        reader.GetFieldValue<DateTimeOffset>(lease).Offset.Should().Be(TimeSpan.Zero);
        reader.GetString(claimedBy).Should().Be("worker-1");

        reader.Read().Should().BeTrue();
        reader.IsDBNull(lease).Should().BeTrue();
        reader.GetValue(lease).Should().Be(DBNull.Value);
        reader.IsDBNull(claimedBy).Should().BeTrue();
        var nullLease = () => reader.GetFieldValue<DateTimeOffset>(lease);
        nullLease.Should().Throw<InvalidCastException>().WithMessage("*lease_expires_at*NULL*");
    }

    [Fact]
    public async Task GetFieldType_NullableColumns_IsTheUnderlyingType()
    {
        await using var source = await TestRows.OpenAsync(RunEngineTables.RunLog, [TestRows.Event(0)]);
        using var reader = new EntityDataReader<RunEvent>(source);

        Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).Should().Equal(
            "id", "run_id", "story_id", "card_id", "kind", "message", "worker", "occurred_at");
        Enumerable.Range(0, reader.FieldCount).Select(reader.GetFieldType).Should().Equal(
            typeof(Guid), typeof(Guid), typeof(Guid), typeof(Guid), typeof(string), typeof(string), typeof(string), typeof(DateTimeOffset));
    }

    [Fact]
    public async Task IsDBNull_ColumnsNotDeclaredNullable_AreNeverNull()
    {
        // Only columns the map declares nullable are asked for NULL: a required column never reports DBNull.
        await using var source = await TestRows.OpenAsync(RunEngineTables.RunLog, [TestRows.Event(1)]);
        using var reader = new EntityDataReader<RunEvent>(source);
        reader.Read();

        var nullable = Enumerable.Range(0, reader.FieldCount).Where(reader.IsDBNull).Select(reader.GetName);

        nullable.Should().Equal("story_id", "card_id", "message");
        RunEngineTables.RunLog.Columns.Where(c => c.Nullable).Select(c => c.Name).Should().Equal("story_id", "card_id", "message", "worker");
    }

    [Fact]
    public async Task GetValues_RunEventWithNulls_FillsDbNullForNullColumns()
    {
        var entry = TestRows.Event(1, StoryId);
        await using var source = await TestRows.OpenAsync(RunEngineTables.RunLog, [entry]);
        using var reader = new EntityDataReader<RunEvent>(source);
        reader.Read();

        var values = new object[reader.FieldCount];
        reader.GetValues(values).Should().Be(8);

        values.Should().Equal(
            entry.Id, entry.RunId, StoryId, DBNull.Value, "test.event", DBNull.Value, "worker-1", Timestamps.Normalize(entry.OccurredAt));
    }
}
