using Dapper;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// A binary COPY whose server side is still working when the client has sent its last row, with the defaults (no
/// <see cref="BulkInsertOptions.Timeout"/>): the importer must wait for the server's answer however long it takes.
/// Npgsql 10 reads an importer timeout of <see cref="TimeSpan.Zero"/> as "at once" (Npgsql 9 as "no limit"), so the
/// library's "no limit" must be a value both majors read the same way; these tests run on both (this project and
/// tests/RunEngine.Data.IntegrationTests.Npgsql10). A statement-level trigger makes the server slow, deterministically.
/// </summary>
public sealed class PostgreSqlSlowCopyTests : IClassFixture<PostgreSqlFixture>, IAsyncLifetime
{
    private readonly PostgreSqlFixture _fixture;

    public PostgreSqlSlowCopyTests(PostgreSqlFixture fixture)
    {
        _fixture = fixture;
    }

    public async Task InitializeAsync()
    {
        if (_fixture.SkipReason is not null)
        {
            return;
        }

        // This class has a database of its own (one fixture per class), so the trigger reaches no other test.
        await using var connection = await _fixture.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            CREATE OR REPLACE FUNCTION test_slow_statement() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$;
            DROP TRIGGER IF EXISTS test_slow_cards ON re_cards;
            CREATE TRIGGER test_slow_cards AFTER INSERT ON re_cards FOR EACH STATEMENT EXECUTE FUNCTION test_slow_statement();
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task WriteCycleAsync_ServerSlowToAnswerTheCopyWithDefaultOptions_WaitsAndStoresEveryRow()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        var stories = PgRows.Stories(runId, 10);
        var cards = PgRows.Cards(stories, 10).ToList();

        var result = await _fixture.Database.WriteCycleAsync(stories, cards);

        result.Cards.Should().Be(100);
        await using var connection = await _fixture.OpenConnectionAsync();
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM re_cards WHERE run_id = @runId", new { runId })).Should().Be(100);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_ServerSlowerThanTheTimeout_TimesOutAndStoresNothing()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        var stories = PgRows.Stories(runId, 10);
        var cards = PgRows.Cards(stories, 10).ToList();

        var act = () => _fixture.Database.WriteCycleAsync(stories, cards, new BulkInsertOptions { Timeout = TimeSpan.FromMilliseconds(200) });

        await act.Should().ThrowAsync<Exception>();
        await using var connection = await _fixture.OpenConnectionAsync();
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM re_stories WHERE run_id = @runId", new { runId })).Should().Be(0);
    }
}
