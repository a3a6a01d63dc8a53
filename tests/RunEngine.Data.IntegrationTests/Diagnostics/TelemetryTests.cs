using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Sqlite;

namespace RunEngine.Data.IntegrationTests.Diagnostics;

/// <summary>
/// What the library emits — spans, metrics and log events — for a cycle write, a rejected batch, a concurrency conflict,
/// a claim and a lost lease, on an in-memory SQLite database with its own table prefix. No connection string may appear
/// in any log message, span or tag.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "telemetry_secret_marker";
    private readonly string _prefix = $"t{Guid.NewGuid():N}"[..12] + "_";
    private readonly CapturingLoggerFactory _logs = new();
    private readonly TelemetryCapture _telemetry = new();
    private RunEngineDatabase _database = null!;

    private string Stories => _prefix + "stories";

    private string Cards => _prefix + "cards";

    public async Task InitializeAsync()
    {
        _database = SqliteDatabase.Create(
            $"Data Source={Secret}_{Guid.NewGuid():N};Mode=Memory;Cache=Shared",
            new SqliteOptions { TablePrefix = _prefix, LoggerFactory = _logs });
        await _database.EnsureSchemaAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    public void Dispose()
    {
        _telemetry.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public void EnsureSchemaAsync_NewDatabase_LogsEachAppliedScriptAtInformation()
    {
        var applied = _logs.WithId(1000);

        applied.Should().HaveCountGreaterThanOrEqualTo(2, "scripts 001 and 002 are applied to an empty database");
        applied.Should().OnlyContain(l => l.Level == LogLevel.Information && l.Category == RunEngineTelemetry.LoggerCategory);
        applied.Select(l => l["Version"]).Should().ContainInOrder(1, 2);
        _telemetry.Spans.Should().Contain(s => s.OperationName == $"migrate {_prefix}schema_version");
        AssertNoSecret();
    }

    [Fact]
    public async Task WriteCycleAsync_ValidCycle_EmitsCycleAndTableSpansRowCountsAndLogs()
    {
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 3).ToList();

        await _database.WriteCycleAsync(stories, TestData.Cards(stories, 2));

        var spans = _telemetry.Spans;
        var cycle = spans.Should().ContainSingle(s => s.OperationName == "write_cycle").Subject;
        cycle.Kind.Should().Be(ActivityKind.Client);
        cycle.GetTagItem("db.system.name").Should().Be("sqlite");
        cycle.GetTagItem("runengine.rows").Should().Be(3L + 6L + 1L, "3 stories, 6 cards and the cycle's run-log entry");
        var storySpan = spans.Should().ContainSingle(s => s.OperationName == $"bulk_insert {Stories}").Subject;
        storySpan.ParentSpanId.Should().Be(cycle.SpanId, "table writes nest under their cycle");
        storySpan.GetTagItem("db.operation.name").Should().Be("bulk_insert");
        storySpan.GetTagItem("db.collection.name").Should().Be(Stories);
        storySpan.GetTagItem("db.namespace").Should().Be("main");
        storySpan.GetTagItem("runengine.rows").Should().Be(3L);
        storySpan.Status.Should().Be(ActivityStatusCode.Unset);
        spans.Should().ContainSingle(s => s.OperationName == $"bulk_insert {Cards}").Which.GetTagItem("runengine.rows").Should().Be(6L);

        var rows = _telemetry.Measurements("runengine.rows.written", _prefix);
        rows.Where(m => (string?)m["db.collection.name"] == Stories).Sum(m => m.Value).Should().Be(3);
        rows.Where(m => (string?)m["db.collection.name"] == Cards).Sum(m => m.Value).Should().Be(6);
        rows.Should().OnlyContain(m => (string?)m["db.system.name"] == "sqlite" && m.Unit == "{row}");
        _telemetry.Measurements("runengine.batches", _prefix).Should().HaveCount(3).And.OnlyContain(m => m["error.type"] == null);
        var durations = _telemetry.Measurements("db.client.operation.duration", Stories);
        durations.Should().ContainSingle(m => (string?)m["db.operation.name"] == "bulk_insert")
            .Which.Should().Match<TelemetryMeasurement>(m => m.Unit == "s" && m.Value >= 0);

        var written = _logs.WithId(1013).Should().ContainSingle().Subject;
        written.Level.Should().Be(LogLevel.Information);
        written["Stories"].Should().Be(3L);
        written["Cards"].Should().Be(6L);
        _logs.WithId(1010).Should().Contain(l => l.Level == LogLevel.Debug && (string?)l["Table"] == Stories && (long?)l["Inserted"] == 3);
        _logs.Logs.Should().NotContain(l => l.Message.Contains("Story 0", StringComparison.Ordinal), "row content is never logged");
        AssertNoSecret();
    }

    [Fact]
    public async Task WriteCycleAsync_RejectedBatch_EmitsErrorTypeAndWarningWithoutRowContent()
    {
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 3).ToList();
        stories[1].Title = "TOO-LONG-" + new string('x', 500);

        var act = () => _database.WriteCycleAsync(stories, []);

        await act.Should().ThrowAsync<BatchValidationException>();
        const string errorType = "RunEngine.Data.BatchValidationException";
        var span = _telemetry.Spans.Should().ContainSingle(s => s.OperationName == $"bulk_insert {Stories}").Subject;
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.GetTagItem("error.type").Should().Be(errorType);
        _telemetry.Spans.Should().ContainSingle(s => s.OperationName == "write_cycle").Which.GetTagItem("error.type").Should().Be(errorType);
        _telemetry.Measurements("runengine.batches", _prefix).Should().ContainSingle().Which["error.type"].Should().Be(errorType);
        _telemetry.Measurements("runengine.rows.written", _prefix).Should().BeEmpty();
        _telemetry.Measurements("db.client.operation.duration", Stories).Should().Contain(m => (string?)m["error.type"] == errorType);

        var rejected = _logs.WithId(1011).Should().ContainSingle().Subject;
        rejected.Level.Should().Be(LogLevel.Warning);
        rejected["Entity"].Should().Be("Story");
        rejected["Position"].Should().Be(1L);
        rejected["Field"].Should().Be("Title");
        _logs.WithId(1013).Should().BeEmpty("no cycle was written");
        _logs.Logs.Should().NotContain(l => l.Message.Contains("TOO-LONG", StringComparison.Ordinal));
        AssertNoSecret();
    }

    [Fact]
    public async Task UpdateStatusAsync_StaleVersion_CountsConflictAndLogsWarning()
    {
        var story = TestData.Story(TestData.NewRunId(), 0);
        await _database.Stories.AddRangeAsync([story]);

        var act = () => _database.Stories.UpdateStatusAsync(story.Id, StoryStatus.Ready, expectedVersion: 41);

        await act.Should().ThrowAsync<ConcurrencyConflictException>();
        var conflict = _telemetry.Measurements("runengine.conflicts", _prefix).Should().ContainSingle().Subject;
        conflict.Value.Should().Be(1);
        conflict["db.collection.name"].Should().Be(Stories);
        conflict["db.operation.name"].Should().Be("update_status");
        _telemetry.Spans.Should().ContainSingle(s => s.OperationName == $"update_status {Stories}")
            .Which.GetTagItem("error.type").Should().Be("RunEngine.Data.ConcurrencyConflictException");
        var logged = _logs.WithId(1020).Should().ContainSingle().Subject;
        logged.Level.Should().Be(LogLevel.Warning);
        logged["Id"].Should().Be(story.Id);
        logged["ExpectedVersion"].Should().Be(41);
        logged["ActualVersion"].Should().Be(1);
        AssertNoSecret();
    }

    [Fact]
    public async Task ClaimAsync_ReadyStories_CountsClaimsAndALostLease()
    {
        var runId = TestData.NewRunId();
        await _database.Stories.AddRangeAsync(Enumerable.Range(0, 5).Select(p => TestData.Story(runId, p, StoryStatus.Ready)));

        var claims = await _database.Claims.ClaimAsync(runId, "worker-a", 2, TimeSpan.FromMinutes(1));
        await _database.Claims.CompleteAsync(claims[0], StoryStatus.Completed);
        var again = () => _database.Claims.CompleteAsync(claims[0], StoryStatus.Completed);

        await again.Should().ThrowAsync<LeaseLostException>();
        _telemetry.Measurements("runengine.stories.claimed", _prefix).Should().ContainSingle()
            .Which.Should().Match<TelemetryMeasurement>(m => m.Value == 2 && (string?)m["db.operation.name"] == "claim");
        _telemetry.Spans.Should().ContainSingle(s => s.OperationName == $"claim {Stories}").Which.GetTagItem("runengine.rows").Should().Be(2L);
        _telemetry.Spans.Where(s => s.OperationName == $"complete {Stories}").Select(s => s.Status)
            .Should().BeEquivalentTo([ActivityStatusCode.Unset, ActivityStatusCode.Error]);
        _telemetry.Measurements("runengine.leases.lost", _prefix).Should().ContainSingle().Which["db.operation.name"].Should().Be("complete");
        var claimed = _logs.WithId(1030).Should().ContainSingle().Subject;
        claimed.Level.Should().Be(LogLevel.Debug);
        claimed["Worker"].Should().Be("worker-a");
        claimed["Count"].Should().Be(2);
        var lost = _logs.WithId(1032).Should().ContainSingle().Subject;
        lost.Level.Should().Be(LogLevel.Warning);
        lost["StoryId"].Should().Be(claims[0].StoryId);
        AssertNoSecret();
    }

    private void AssertNoSecret()
    {
        _logs.Logs.Should().NotContain(l => l.Message.Contains(Secret, StringComparison.OrdinalIgnoreCase), "no connection string in log messages");
        _logs.Logs.SelectMany(l => l.State.Values).OfType<string>().Should().NotContain(v => v.Contains(Secret, StringComparison.OrdinalIgnoreCase));
        _telemetry.Spans.SelectMany(s => s.TagObjects).Select(t => t.Value?.ToString() ?? string.Empty)
            .Should().NotContain(v => v.Contains(Secret, StringComparison.OrdinalIgnoreCase), "no connection string in span tags");
    }
}
