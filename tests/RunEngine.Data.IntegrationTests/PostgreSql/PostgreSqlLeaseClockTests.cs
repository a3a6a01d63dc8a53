using Dapper;
using Microsoft.Extensions.Time.Testing;
using RunEngine.Data.IntegrationTests.Contract;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlLeaseClockTests(PostgreSqlFixture fixture) : LeaseClockContract<PostgreSqlFixture>(fixture)
{
    /// <summary>
    /// Why statement_timestamp() and not now(): in a session's long transaction, now() stays at the transaction's
    /// start, so a claim made later would be stamped (and its lease counted) from an old time.
    /// </summary>
    [SkippableFact]
    public async Task ClaimAsync_InASessionsLongTransaction_UsesTheStatementsTimeNotTheTransactionsStart()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        await Db.Stories.AddRangeAsync([TestData.Story(runId, 0, StoryStatus.Ready)]);
        await using var db = Fixture.CreateDatabase(o =>
        {
            o.LeaseClock = LeaseClock.Database;
            o.TimeProvider = new FakeTimeProvider(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero));
        });
        await using var session = await db.BeginSessionAsync();
        var transactionStart = await session.Connection.QuerySingleAsync<DateTime>("SELECT now()", transaction: session.Transaction);

        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var claim = (await session.Claims.ClaimAsync(runId, "w", 1, TimeSpan.FromMinutes(1))).Single();

        claim.Story.UpdatedAt.UtcDateTime.Should().BeOnOrAfter(transactionStart.ToUniversalTime().AddMilliseconds(250));
        claim.LeaseExpiresAt.Should().Be(claim.Story.UpdatedAt + TimeSpan.FromMinutes(1));
    }
}
