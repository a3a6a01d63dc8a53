using RunEngine.Data.Providers;
using RunEngine.Data.Sqlite.Providers;

namespace RunEngine.Data.IntegrationTests.Sqlite;

/// <summary>The parser of SQLite's constraint messages, on recorded texts.</summary>
public sealed class SqliteErrorsTests
{
    [Theory]
    [InlineData("SQLite Error 19: 'UNIQUE constraint failed: re_stories.id'.", "Id", "id")]
    [InlineData("SQLite Error 19: 'UNIQUE constraint failed: re_stories.run_id, re_stories.position'.", "NaturalKey", "run_id,position")]
    [InlineData("SQLite Error 19: 'UNIQUE constraint failed: re_cards.run_id, re_cards.story_id, re_cards.position'.", "NaturalKey", "run_id,story_id,position")]
    [InlineData("SQLite Error 19: 'UNIQUE constraint failed: re_stories.run_id, re_stories.id'.", "Id", "run_id,id")]
    public void Describe_UniqueMessage_ReadsColumns(string message, string key, string columns)
    {
        var violation = SqliteErrors.Describe(DbErrorKind.UniqueViolation, message);

        violation.Key.Should().Be(Enum.Parse<ViolatedKey>(key));
        violation.Columns.Should().Equal(columns.Split(','));
        violation.Values.Should().BeNull("SQLite prints no values; the rejected row gives them");
    }

    [Fact]
    public void Describe_ForeignKeyMessage_IsTheParentWithoutColumns()
    {
        var violation = SqliteErrors.Describe(DbErrorKind.ForeignKeyViolation, "SQLite Error 19: 'FOREIGN KEY constraint failed'.");

        violation.Key.Should().Be(ViolatedKey.Parent);
        violation.Columns.Should().BeNull();
    }
}
