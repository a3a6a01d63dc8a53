using System.Globalization;
using Dapper;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Schema;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// Schema version 4 (PostgreSQL only): the cards table leaves 30 % of each page free, so that status changes
/// (none of whose columns is indexed) can be heap-only updates.
/// </summary>
public sealed class PostgreSqlCardsFillfactorTests : IClassFixture<PostgreSqlFixture>
{
    private readonly PostgreSqlFixture _fixture;

    public PostgreSqlCardsFillfactorTests(PostgreSqlFixture fixture)
    {
        _fixture = fixture;
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_NewDatabase_CardsHaveFillfactor70AndStoriesTheDefault()
    {
        _fixture.SkipIfUnavailable();
        await using var db = _fixture.CreateDatabase(o => o.TablePrefix = "ff_new_");

        (await db.EnsureSchemaAsync()).Should().Be(4);

        (await OptionsAsync("ff_new_cards")).Should().Equal("fillfactor=70");
        (await OptionsAsync("ff_new_stories")).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_Version3WithRows_SetsTheFillfactorAndKeepsEveryRow()
    {
        _fixture.SkipIfUnavailable();
        await using var db = _fixture.CreateDatabase(o => o.TablePrefix = "ff_v3_");
        var provider = db.Provider;
        await using (var connection = await _fixture.OpenConnectionAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            foreach (var script in provider.Schema.Scripts.Where(s => s.Version <= 3))
            {
                await connection.ExecuteAsync(provider.Tables.Expand(script.Text), transaction: transaction);
                if (script.Version > 0)
                {
                    await connection.ExecuteAsync(
                        SchemaMigrator.RecordVersionSql(provider.Tables),
                        new { script.Version, script.Description, AppliedAt = DateTimeOffset.Parse("2026-01-02T03:04:05Z", CultureInfo.InvariantCulture) },
                        transaction);
                }
            }

            await transaction.CommitAsync();
        }

        var run = TestData.NewRunId();
        var stories = TestData.Stories(run, 2).ToList();
        var cards = stories.SelectMany(s => new[] { TestData.Card(s, 0), TestData.Card(s, 1) }).ToList();
        await db.WriteCycleAsync(stories, cards);
        (await OptionsAsync("ff_v3_cards")).Should().BeEmpty("version 3 has the default fillfactor");

        (await db.EnsureSchemaAsync()).Should().Be(4);

        (await OptionsAsync("ff_v3_cards")).Should().Equal("fillfactor=70");
        var stored = await db.Cards.GetByRunAsync(run).ToListAsync();
        stored.Select(c => c.Id).Should().BeEquivalentTo(cards.Select(c => c.Id));
        var updated = await db.Cards.UpdateStatusAsync(cards[0].Id, CardStatus.InProgress, expectedVersion: 1);
        updated.Should().Be(2);
    }

    [SkippableFact]
    public async Task UpdateStatusByStoryAsync_CardsOfANewCycle_StayOnTheirPagesFarMoreOftenThanAtTheDefault()
    {
        _fixture.SkipIfUnavailable();

        var moved = await MovedRowsAsync("ff_hot_", defaultFillfactor: false);
        var movedAtDefault = await MovedRowsAsync("ff_dflt_", defaultFillfactor: true);

        // A heap-only update keeps the row on its page and adds no index entry. At the default fillfactor a page the
        // cycle's COPY filled has no room, and most rows move. Only the first change is looked at: whether a row's
        // second change finds room depends on the page having been pruned of the first change's old versions, which
        // waits for any older snapshot open on the database (parallel tests hold some), so it is not deterministic.
        movedAtDefault.Should().BeGreaterThan(0.75);
        moved.Should().BeLessThan(movedAtDefault - 0.25, "a page written by the cycle's COPY leaves room for its rows' next versions");
    }

    /// <summary>The lifecycle's first step: batches of 10 stories' cards set InProgress, each committed; the share of cards that left their page.</summary>
    private async Task<double> MovedRowsAsync(string prefix, bool defaultFillfactor)
    {
        await using var db = _fixture.CreateDatabase(o => o.TablePrefix = prefix);
        await db.EnsureSchemaAsync();
        if (defaultFillfactor)
        {
            await using var connection = await _fixture.OpenConnectionAsync();
            await connection.ExecuteAsync($"ALTER TABLE {prefix}cards RESET (fillfactor)");
        }

        var run = TestData.NewRunId();
        var stories = TestData.Stories(run, 100).ToList();
        var cards = stories.SelectMany(s => Enumerable.Range(0, 10).Select(i => TestData.Card(s, i))).ToList();
        await db.WriteCycleAsync(stories, cards);
        var before = await PagesAsync(prefix + "cards");

        foreach (var batch in stories.Chunk(10))
        {
            var ids = batch.Select(s => s.Id).ToArray();
            (await db.Cards.UpdateStatusByStoryAsync(ids, [CardStatus.Pending], CardStatus.InProgress)).Should().Be(100);
        }

        var after = await PagesAsync(prefix + "cards");
        return cards.Count(c => before[c.Id] != after[c.Id]) / (double)cards.Count;
    }

    private async Task<Dictionary<Guid, long>> PagesAsync(string table)
    {
        await using var connection = await _fixture.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(Guid Id, long Page)>(
            $"SELECT id, (ctid::text::point)[0]::bigint FROM {table}");
        return rows.ToDictionary(r => r.Id, r => r.Page);
    }

    private async Task<string[]> OptionsAsync(string table)
    {
        await using var connection = await _fixture.OpenConnectionAsync();
        var options = await connection.ExecuteScalarAsync<string[]?>(
            "SELECT reloptions FROM pg_class WHERE oid = @Table::regclass", new { Table = table });
        return options ?? [];
    }
}
