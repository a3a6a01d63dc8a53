using RunEngine.Data.PostgreSql;
using RunEngine.Data.Providers;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>The parser of PostgreSQL's key errors, on recorded field values (no server needed).</summary>
public sealed class PostgreSqlErrorsTests
{
    private const string Id = "0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b11";
    private const string Redacted =
        "Detail redacted as it may contain sensitive data. Specify 'Include Error Detail' in the connection string to include this information.";

    [Fact]
    public void Describe_PrimaryKeyInCopy_ReadsIdAndBatchPosition()
    {
        var violation = PostgreSqlErrors.Describe("23505", "re_stories_pk", $"Key (id)=({Id}) already exists.", "COPY re_stories, line 5", "re_")!;

        violation.Kind.Should().Be(DbErrorKind.UniqueViolation);
        violation.Key.Should().Be(ViolatedKey.Id);
        violation.Columns.Should().Equal("id");
        violation.Values.Should().Equal(Id);
        violation.Position.Should().Be(4);
        violation.Hint.Should().BeNull();
    }

    [Fact]
    public void Describe_NaturalKeyWithQuotedKeywordColumn_UnquotesTheColumn()
    {
        var violation = PostgreSqlErrors.Describe(
            "23505", "re_stories_run_position_uq", $"Key (run_id, \"position\")=({Id}, 1) already exists.", "COPY re_stories, line 2", "re_")!;

        violation.Key.Should().Be(ViolatedKey.NaturalKey);
        violation.Columns.Should().Equal("run_id", "position");
        violation.Values.Should().Equal(Id, "1");
        violation.Position.Should().Be(1);
    }

    [Fact]
    public void Describe_CompositeForeignKey_ReadsRunAndStoryWithoutPosition()
    {
        var violation = PostgreSqlErrors.Describe(
            "23503", "re_cards_run_story_fk", $"Key (run_id, story_id)=({Id}, {Id}) is not present in table \"re_stories\".", "COPY re_cards, line 3", "re_")!;

        violation.Kind.Should().Be(DbErrorKind.ForeignKeyViolation);
        violation.Key.Should().Be(ViolatedKey.Parent);
        violation.Columns.Should().Equal("run_id", "story_id");
        violation.Position.Should().BeNull("a foreign key is checked at the end of the COPY, not at the line");
    }

    [Fact]
    public void Describe_RedactedDetail_KeepsConstraintAndLineAndSaysHowToGetTheKey()
    {
        var violation = PostgreSqlErrors.Describe("23505", "re_cards_story_position_uq", Redacted, "COPY re_cards, line 10", "re_")!;

        violation.Key.Should().Be(ViolatedKey.NaturalKey);
        violation.Values.Should().BeNull();
        violation.Position.Should().Be(9);
        violation.Hint.Should().Contain("Include Error Detail");
    }

    [Theory]
    [InlineData("re_stories_run_id_uq", "Id")]
    [InlineData("re_cards_pk", "Id")]
    [InlineData("re_cards_run_story_position_uq", "NaturalKey")]
    [InlineData("other_thing", "Unknown")]
    public void Describe_ConstraintNames_MapToTheirKey(string constraint, string key)
    {
        PostgreSqlErrors.Describe("23505", constraint, null, null, "re_")!.Key.Should().Be(Enum.Parse<ViolatedKey>(key));
    }

    [Fact]
    public void Describe_OtherSqlState_IsNull()
    {
        PostgreSqlErrors.Describe("23502", null, "Failing row contains (…).", null, "re_").Should().BeNull();
    }
}
