using Microsoft.Data.SqlClient;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.SqlServer;

namespace RunEngine.Data.IntegrationTests.SqlServer;

/// <summary>
/// Key violations explained when the session's language is not English. SQL Server words its errors in the session's
/// language (<c>SET LANGUAGE</c>, the login's default or, here, the connection string's <c>Current Language</c>):
/// 2627 and 547 then carry none of the English phrases, only the constraint's name and, for 2627, the key as
/// <c>%ls</c> ("(value, value)"). The library must still name the key, never let the raw error through.
/// </summary>
public sealed class SqlServerLocalizedErrorsTests : IClassFixture<SqlServerFixture>
{
    // sys.syslanguages' name (its alias is German); @@LANGUAGE reports the name.
    private const string Language = "Deutsch";

    private readonly SqlServerFixture _fixture;

    public SqlServerLocalizedErrorsTests(SqlServerFixture fixture)
    {
        _fixture = fixture;
    }

    [SkippableFact]
    public async Task AddRangeAsync_StoryPositionAlreadyStoredInGerman_NamesRunPositionAndStoredStory()
    {
        await using var db = await GermanDatabaseAsync();
        var runId = TestData.NewRunId();
        var existing = TestData.Stories(runId, 2).ToList();
        await db.Stories.AddRangeAsync(existing);
        var stories = TestData.Stories(runId, 3, firstPosition: 2).ToList();
        stories[2].Position = 1;

        var error = (await FluentActions.Awaiting(() => db.Stories.AddRangeAsync(stories)).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Field.Should().Be("Position");
        error.Reason.Should().Contain($"(run_id, position) = ({runId}, 1)").And.Contain("already stored").And.Contain(existing[1].Id.ToString());
        (await db.Stories.GetByRunAsync(runId).ToListAsync()).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task AddRangeAsync_IdAlreadyStoredInGerman_NamesTheId()
    {
        await using var db = await GermanDatabaseAsync();
        var existing = TestData.Story(TestData.NewRunId(), 0);
        await db.Stories.AddRangeAsync([existing]);
        var stories = TestData.Stories(TestData.NewRunId(), 4).ToList();
        stories[3].Id = existing.Id;

        var error = (await FluentActions.Awaiting(() => db.Stories.AddRangeAsync(stories)).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Field.Should().Be("Id");
        error.Position.Should().Be(3);
        error.Reason.Should().Contain(existing.Id.ToString()).And.Contain("already stored");
    }

    [SkippableFact]
    public async Task AddRangeAsync_CardOfMissingStoryInGerman_NamesTheStoryInsteadOfTheRawError()
    {
        await using var db = await GermanDatabaseAsync();
        var story = TestData.Story(TestData.NewRunId(), 0);
        await db.Stories.AddRangeAsync([story]);
        var missing = TestData.Story(story.RunId, 1);
        var cards = new List<Card> { TestData.Card(story, 0), TestData.Card(missing, 0) };

        var error = (await FluentActions.Awaiting(() => db.Cards.AddRangeAsync(cards)).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Field.Should().Be("StoryId");
        error.Position.Should().Be(1);
        error.Reason.Should().Contain(missing.Id.ToString()).And.Contain("neither in this batch nor in the database");
        (await db.Cards.GetByRunAsync(story.RunId).ToListAsync()).Should().BeEmpty();
    }

    /// <summary>A database object whose sessions speak German; skips when the server does not switch (no such language).</summary>
    private async Task<RunEngineDatabase> GermanDatabaseAsync()
    {
        _fixture.SkipIfUnavailable();
        var connectionString = new SqlConnectionStringBuilder(_fixture.ConnectionString) { CurrentLanguage = Language }.ConnectionString;
        string? language;
        try
        {
            await using var connection = new SqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new SqlCommand("SELECT @@LANGUAGE", connection);
            language = await command.ExecuteScalarAsync() as string;
        }
        catch (SqlException)
        {
            language = null;
        }

        Skip.If(language != Language, $"the server does not run sessions in the language {Language} (@@LANGUAGE: {language ?? "unavailable"})");
        var db = SqlServerDatabase.Create(connectionString, new SqlServerOptions { TimeProvider = _fixture.Time });
        await db.EnsureSchemaAsync();
        return db;
    }
}
