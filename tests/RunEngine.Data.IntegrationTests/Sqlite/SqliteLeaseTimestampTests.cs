using Dapper;
using Microsoft.Extensions.Time.Testing;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Sqlite;

/// <summary>
/// SQLite stores timestamps as TEXT and claims compare <c>lease_expires_at &lt; @Now</c> as text. That is only right
/// when the bulk writer and Dapper's parameters produce the same UTC form, and when that form orders like time even
/// with trailing fractional zeros trimmed ("12:00:00+00:00", "12:00:00.25+00:00", "12:00:00.5+00:00").
/// </summary>
public sealed class SqliteLeaseTimestampTests(SqliteFileFixture fixture) : IClassFixture<SqliteFileFixture>
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task LeaseExpiresAt_WrittenByBulkInsertAndByClaim_StoredAsTheSameUtcText()
    {
        var clock = new FakeTimeProvider(Noon);
        await using var db = fixture.CreateDatabase(o => o.TimeProvider = clock);
        var runId = TestData.NewRunId();
        var claimed = Ready(runId, 0);
        var halfSecond = Leased(runId, 1, new DateTimeOffset(2026, 11, 28, 14, 0, 0, 500, TimeSpan.FromHours(2)));
        var wholeSecond = Leased(runId, 2, Noon.AddSeconds(1));
        var unclaimed = Ready(runId, 3);
        await db.Stories.AddRangeAsync([claimed, halfSecond, wholeSecond, unclaimed]);

        var claim = (await db.Claims.ClaimAsync(runId, "w1", 1, TimeSpan.FromMilliseconds(250))).Single();

        claim.StoryId.Should().Be(claimed.Id);
        await using var connection = await fixture.OpenConnectionAsync();
        var stored = (await connection.QueryAsync<(string Id, string Type, string? Text)>(
            $"SELECT id, typeof(lease_expires_at), lease_expires_at FROM {db.Provider.Tables.Stories} WHERE run_id = @RunId ORDER BY position",
            new { RunId = runId })).ToList();
        stored.Select(s => (s.Type, s.Text)).Should().Equal(
            ("text", "2026-11-28 12:00:00.25+00:00"), // Dapper parameter (the claim's @Expires)
            ("text", "2026-11-28 12:00:00.5+00:00"), // bulk writer, given at +02:00
            ("text", "2026-11-28 12:00:01+00:00"), // bulk writer, whole second: no fraction, no "."
            ("null", null));

        // What Microsoft.Data.Sqlite binds for a Dapper parameter such as @Now is that same text.
        var bound = await connection.QuerySingleAsync<string>("SELECT @Value", new { Value = Noon.AddMilliseconds(500) });
        bound.Should().Be(stored[1].Text);
    }

    [Fact]
    public async Task ClaimAsync_LeasesEndingWithinTheSameSecond_ReclaimsOnlyThoseEndedBeforeNow()
    {
        var clock = new FakeTimeProvider(Noon);
        await using var db = fixture.CreateDatabase(o => o.TimeProvider = clock);
        var runId = TestData.NewRunId();
        var quarterByClaim = Ready(runId, 0);
        var halfByClaim = Ready(runId, 1);
        await db.Stories.AddRangeAsync([quarterByClaim, halfByClaim]);
        (await db.Claims.ClaimAsync(runId, "first", 1, TimeSpan.FromMilliseconds(250))).Single().StoryId.Should().Be(quarterByClaim.Id);
        (await db.Claims.ClaimAsync(runId, "first", 1, TimeSpan.FromMilliseconds(500))).Single().StoryId.Should().Be(halfByClaim.Id);
        var previousSecond = Leased(runId, 2, Noon.AddMilliseconds(-700));
        var wholeSecond = Leased(runId, 3, Noon);
        var quarter = Leased(runId, 4, Noon.AddMilliseconds(250));
        var exactlyNow = Leased(runId, 5, Noon.AddMilliseconds(300));
        var microsecondLater = Leased(runId, 6, Noon.AddMilliseconds(300).AddTicks(10));
        var half = Leased(runId, 7, Noon.AddMilliseconds(500));
        var nextSecond = Leased(runId, 8, Noon.AddSeconds(1));
        await db.Stories.AddRangeAsync([previousSecond, wholeSecond, quarter, exactlyNow, microsecondLater, half, nextSecond]);
        clock.SetUtcNow(Noon.AddMilliseconds(300));

        var reclaimed = await db.Claims.ClaimAsync(runId, "second", 100, TimeSpan.FromMinutes(1));

        reclaimed.Select(c => c.StoryId).Should().Equal(
            [quarterByClaim.Id, previousSecond.Id, wholeSecond.Id, quarter.Id],
            "a lease is reclaimable when it ended strictly before now (12:00:00.3), whichever path wrote it");
        reclaimed.Should().AllSatisfy(c => c.Story.ClaimedBy.Should().Be("second"));
    }

    [Fact]
    public async Task RenewAsync_LeaseEndedAFractionOfASecondAgo_IsLostWhileALaterOneRenews()
    {
        var clock = new FakeTimeProvider(Noon);
        await using var db = fixture.CreateDatabase(o => o.TimeProvider = clock);
        var runId = TestData.NewRunId();
        await db.Stories.AddRangeAsync([Ready(runId, 0), Ready(runId, 1)]);
        var quarter = (await db.Claims.ClaimAsync(runId, "w", 1, TimeSpan.FromMilliseconds(250))).Single();
        var half = (await db.Claims.ClaimAsync(runId, "w", 1, TimeSpan.FromMilliseconds(500))).Single();
        clock.SetUtcNow(Noon.AddMilliseconds(300));

        var lost = await FluentActions.Awaiting(() => db.Claims.RenewAsync(quarter, TimeSpan.FromSeconds(1))).Should().ThrowAsync<LeaseLostException>();
        var renewed = await db.Claims.RenewAsync(half, TimeSpan.FromSeconds(1));

        lost.Which.Reason.Should().Contain("expired");
        renewed.LeaseExpiresAt.Should().Be(Noon.AddMilliseconds(1_300));
        (await db.Stories.GetAsync(quarter.StoryId))!.Version.Should().Be(quarter.Version, "the lost lease changed nothing");
        (await db.Stories.GetAsync(half.StoryId))!.LeaseExpiresAt.Should().Be(Noon.AddMilliseconds(1_300));
    }

    [Fact]
    public async Task DatabaseClock_ClaimAndRenewal_StoreSqlitesNowInTheSameUtcTextWithTheLeasesMicroseconds()
    {
        // The host's clock is years off: every time below is SQLite's own 'now'.
        await using var db = fixture.CreateDatabase(o =>
        {
            o.LeaseClock = LeaseClock.Database;
            o.TimeProvider = new FakeTimeProvider(Noon.AddYears(-20));
        });
        var runId = TestData.NewRunId();
        await db.Stories.AddRangeAsync([Ready(runId, 0)]);
        var lease = TimeSpan.FromMilliseconds(250) + TimeSpan.FromMicroseconds(7);

        var claim = (await db.Claims.ClaimAsync(runId, "w1", 1, TimeSpan.FromMinutes(1))).Single();
        var renewed = await db.Claims.RenewAsync(claim, lease);

        await using var connection = await fixture.OpenConnectionAsync();
        var stored = await connection.QuerySingleAsync<(string Type, string Lease, string Updated)>(
            $"SELECT typeof(lease_expires_at), lease_expires_at, updated_at FROM {db.Provider.Tables.Stories} WHERE id = @Id", new { Id = claim.StoryId });
        stored.Type.Should().Be("text");
        stored.Updated.Should().MatchRegex(StoredForm, "SQLite's 'now' has millisecond resolution, trailing zeros trimmed");
        stored.Lease.Should().MatchRegex(StoredForm);
        stored.Lease.Should().EndWith("007+00:00", "the lease's microseconds are added exactly");
        renewed.LeaseExpiresAt.Should().Be(renewed.Story.UpdatedAt + lease);
        renewed.Story.UpdatedAt.Should().BeCloseTo(TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(1));

        // The same text Microsoft.Data.Sqlite writes for these instants as parameters (the host clock's path).
        (await connection.QuerySingleAsync<string>("SELECT @Value", new { Value = renewed.LeaseExpiresAt })).Should().Be(stored.Lease);
        (await connection.QuerySingleAsync<string>("SELECT @Value", new { Value = renewed.Story.UpdatedAt })).Should().Be(stored.Updated);
    }

    /// <summary>"yyyy-MM-dd HH:mm:ss" and an optional fraction without trailing zeros, in UTC.</summary>
    private const string StoredForm = @"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{0,5}[1-9])?\+00:00$";

    private static Story Ready(Guid runId, int position)
    {
        var story = TestData.Story(runId, position);
        story.Status = StoryStatus.Ready;
        return story;
    }

    /// <summary>A story another worker holds until <paramref name="expires"/>, written by the bulk path.</summary>
    private static Story Leased(Guid runId, int position, DateTimeOffset expires)
    {
        var story = TestData.Story(runId, position);
        story.Status = StoryStatus.InProgress;
        story.ClaimedBy = "gone";
        story.LeaseExpiresAt = expires;
        return story;
    }
}
