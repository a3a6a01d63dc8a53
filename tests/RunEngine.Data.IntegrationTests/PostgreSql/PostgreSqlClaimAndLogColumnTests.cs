using Dapper;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>What script 002 adds on PostgreSQL: the story's claim columns and the run log, written through binary COPY with nullable values.</summary>
public sealed class PostgreSqlClaimAndLogColumnTests : IClassFixture<PostgreSqlFixture>
{
    private readonly PostgreSqlFixture _fixture;

    public PostgreSqlClaimAndLogColumnTests(PostgreSqlFixture fixture)
    {
        _fixture = fixture;
    }

    private RunEngineDatabase Database => _fixture.Database;

    [SkippableFact]
    public async Task EnsureSchemaAsync_Applied_CreatesRunLogWithGeneratedSeqLast()
    {
        _fixture.SkipIfUnavailable();

        var columns = await _fixture.GetColumnsAsync("run_log");
        var identity = await _fixture.ScalarAsync<string>(
            "SELECT is_identity || '/' || identity_generation FROM information_schema.columns " +
            "WHERE table_schema = current_schema() AND table_name = 're_run_log' AND column_name = 'seq'");

        columns.Select(c => (c.Name, c.DataType, c.MaxLength, c.Nullable)).Should().Equal(
            ("id", "uuid", null, false),
            ("run_id", "uuid", null, false),
            ("story_id", "uuid", null, true),
            ("card_id", "uuid", null, true),
            ("kind", "character varying", 100, false),
            ("message", "character varying", 4000, true),
            ("worker", "character varying", 200, true),
            ("occurred_at", "timestamp with time zone", null, false),
            ("seq", "bigint", null, false));
        identity.Should().Be("YES/ALWAYS", "the library never writes seq; the database numbers entries in write order");
    }

    [SkippableFact]
    public async Task AppendAsync_NullableIdsThroughCopy_StoresNullOrTheTypedValue()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        var storyId = Guid.CreateVersion7();
        var cardId = Guid.CreateVersion7();
        RunEvent[] events =
        [
            new() { Id = Guid.CreateVersion7(), RunId = runId, Kind = "run.note" },
            new() { Id = Guid.CreateVersion7(), RunId = runId, StoryId = storyId, CardId = cardId, Kind = "card.note", Message = "m", Worker = "w" },
        ];

        var written = await Database.RunLog.AppendAsync(events);
        await using var connection = await _fixture.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(Guid? StoryId, Guid? CardId, string? Message, string? Worker)>(
            "SELECT story_id, card_id, message, worker FROM re_run_log WHERE run_id = @RunId ORDER BY seq", new { RunId = runId })).ToList();

        written.Should().Be(2);
        rows.Should().Equal((null, null, null, null), (storyId, cardId, "m", "w"));
    }

    [SkippableFact]
    public async Task AddRangeAsync_StoryWithLease_CopiesClaimColumns()
    {
        _fixture.SkipIfUnavailable();
        var story = PgRows.Stories(Guid.CreateVersion7(), 1)[0];
        story.Status = StoryStatus.InProgress;
        story.ClaimedBy = "worker-1";
        story.LeaseExpiresAt = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.FromHours(-3)).AddTicks(1_234_567);

        await Database.Stories.AddRangeAsync([story]);
        var read = await Database.Stories.GetAsync(story.Id);

        read!.ClaimedBy.Should().Be("worker-1");
        read.LeaseExpiresAt.Should().Be(new DateTimeOffset(2026, 5, 6, 10, 8, 9, TimeSpan.Zero).AddTicks(1_234_560), "stored as the UTC instant to the microsecond");
        read.LeaseExpiresAt!.Value.Offset.Should().Be(TimeSpan.Zero);
    }
}
