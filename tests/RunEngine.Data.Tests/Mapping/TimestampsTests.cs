using RunEngine.Data.Mapping;

namespace RunEngine.Data.Tests.Mapping;

public sealed class TimestampsTests
{
    [Fact]
    public void Normalize_OffsetValue_ConvertsToUtcKeepingTheInstant()
    {
        var local = new DateTimeOffset(2026, 3, 4, 10, 30, 0, TimeSpan.FromHours(2));

        var normalized = Timestamps.Normalize(local);

        normalized.Offset.Should().Be(TimeSpan.Zero);
        normalized.Should().Be(local);
        normalized.DateTime.Should().Be(new DateTime(2026, 3, 4, 8, 30, 0));
    }

    [Fact]
    public void Normalize_SubMicrosecondTicks_TruncatesToWholeMicroseconds()
    {
        var value = new DateTimeOffset(2026, 3, 4, 10, 30, 0, TimeSpan.Zero).AddTicks(1_234_567);

        var normalized = Timestamps.Normalize(value);

        normalized.UtcTicks.Should().Be(value.UtcTicks - 7);
        Timestamps.Normalize(normalized).Should().Be(normalized);
    }

    [Fact]
    public void OrDefault_UnsetAndSetValues_ReturnsFallbackOrNormalizedValue()
    {
        var fallback = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var set = new DateTimeOffset(2026, 2, 2, 2, 2, 2, TimeSpan.FromHours(-1)).AddTicks(3);

        Timestamps.OrDefault(default, fallback).Should().Be(fallback);
        Timestamps.OrDefault(set, fallback).Should().Be(Timestamps.Normalize(set));
        Timestamps.OrDefault(set, fallback).Offset.Should().Be(TimeSpan.Zero);
    }
}
