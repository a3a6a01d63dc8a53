using Microsoft.Data.SqlClient;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.SqlServer;

/// <summary>
/// A unique index the application added to the library's tables is not one of the library's keys: its violation is
/// left as the database reported it, never explained as a repeated id.
/// </summary>
public sealed class SqlServerUnknownKeyTests : IClassFixture<SqlServerFixture>
{
    private readonly SqlServerFixture _fixture;

    public SqlServerUnknownKeyTests(SqlServerFixture fixture)
    {
        _fixture = fixture;
    }

    [SkippableFact]
    public async Task AddRangeAsync_ApplicationsOwnUniqueIndex_KeepsTheDatabaseErrorInsteadOfBlamingTheId()
    {
        _fixture.SkipIfUnavailable();
        await using var db = _fixture.CreateSqlServerDatabase(o => o.TablePrefix = "ux_");
        await db.EnsureSchemaAsync();
        await using (var connection = (SqlConnection)await _fixture.OpenConnectionAsync())
        await using (var command = new SqlCommand("CREATE UNIQUE INDEX [UX_app_story_titles] ON [dbo].[ux_stories] ([title])", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        var stories = TestData.Stories(TestData.NewRunId(), 4).ToList();
        stories[3].Title = stories[1].Title;

        var error = (await FluentActions.Awaiting(() => db.Stories.AddRangeAsync(stories)).Should().ThrowAsync<SqlException>()).Which;

        error.Number.Should().Be(2601);
        (await _fixture.ScalarAsync<int>("SELECT COUNT(*) FROM dbo.ux_stories")).Should().Be(0);
    }
}
