using RunEngine.Data.Mapping;
using RunEngine.Data.PostgreSql;
using RunEngine.Data.PostgreSql.Bulk;
using RunEngine.Data.Providers;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// The texts of the retry-safe insert's count and of the distributed staging path, and the reading of Citus's
/// re-raised key errors, on recorded values (no server needed).
/// </summary>
public sealed class PostgreSqlDistributedStatementsTests
{
    private const string Stories = "\"public\".\"re_stories\"";
    private const string Cards = "\"public\".\"re_cards\"";
    private const string Id = "0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b11";
    private const string Run = "0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b22";

    [Fact]
    public void InsertMissing_Stories_CountsTheReturnedRowsNotTheCommandTag()
    {
        var staging = StagingStatements.For(new TableStatements<Story>(RunEngineTables.Stories, Stories, PostgreSqlDialect.Instance), PostgreSqlDialect.Instance);

        staging.InsertMissing.Should().StartWith($"WITH \"runengine_inserted\" AS (INSERT INTO {Stories} (");
        staging.InsertMissing.Should().Contain("FROM \"runengine_stage_stories\" ORDER BY \"id\" ON CONFLICT DO NOTHING RETURNING 1)");
        staging.InsertMissing.Should().EndWith(") SELECT count(*) FROM \"runengine_inserted\"");
    }

    [Fact]
    public void InsertMissing_RunLog_KeepsStreamOrderInsideTheCountedInsert()
    {
        var staging = StagingStatements.For(
            new TableStatements<RunEvent>(RunEngineTables.RunLog, "\"public\".\"re_run_log\"", PostgreSqlDialect.Instance), PostgreSqlDialect.Instance);

        staging.InsertMissing.Should().Contain("ORDER BY \"runengine_ordinal\" ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*)");
    }

    [Fact]
    public void CheckedStaging_Cards_JoinsEveryLookupOnRunIdAndInsertsInStreamOrder()
    {
        var staging = CheckedStagingStatements.For(RunEngineTables.Cards, Cards, Stories, PostgreSqlDialect.Instance);

        staging.Create.Should().Contain("CREATE TEMPORARY TABLE \"runengine_checked_cards\" ON COMMIT DROP AS SELECT")
            .And.Contain("ADD COLUMN \"runengine_ordinal\" bigint GENERATED ALWAYS AS IDENTITY");
        staging.FirstConflict.Should().Contain($"JOIN {Cards} AS t ON t.\"run_id\" = s.\"run_id\" AND t.\"id\" = s.\"id\"")
            .And.Contain($"JOIN {Cards} AS t ON t.\"run_id\" = s.\"run_id\" AND t.\"story_id\" = s.\"story_id\" AND t.\"position\" = s.\"position\"")
            .And.Contain($"JOIN {Stories} AS p ON p.\"run_id\" = s.\"run_id\" AND p.\"id\" = s.\"story_id\"")
            .And.Contain("PARTITION BY \"run_id\", \"id\" ORDER BY \"runengine_ordinal\"")
            .And.Contain("PARTITION BY \"run_id\", \"story_id\", \"position\" ORDER BY \"runengine_ordinal\"")
            .And.EndWith("LIMIT 1");
        staging.KeyColumns.Should().Equal("id", "run_id", "story_id", "position");
        staging.InsertAll.Should().StartWith($"INSERT INTO {Cards} (").And.EndWith("FROM \"runengine_checked_cards\" ORDER BY \"runengine_ordinal\"");
        staging.InsertAll.Should().NotContain("ON CONFLICT");
    }

    [Fact]
    public void CheckedStaging_RunLog_ChecksOnlyTheKeyRunIdAndId()
    {
        var staging = CheckedStagingStatements.For(RunEngineTables.RunLog, "\"public\".\"re_run_log\"", Stories, PostgreSqlDialect.Instance);

        staging.FirstConflict.Should().Contain("\"stored_id\"").And.NotContain("\"stored_key\"").And.NotContain("\"present\"");
        staging.KeyColumns.Should().Equal("id", "run_id");
    }

    [Fact]
    public void ConflictOf_ParentMissing_ReadsAsTheCompositeForeignKeyError()
    {
        var staging = CheckedStagingStatements.For(RunEngineTables.Cards, Cards, Stories, PostgreSqlDialect.Instance);
        var values = new Dictionary<string, string?> { ["id"] = Id, ["run_id"] = Run, ["story_id"] = Id, ["position"] = "3" };

        var violation = PostgreSqlBulkWriter.ConflictOf(staging, CheckedStagingStatements.ParentMissing, 4, values);

        violation.Kind.Should().Be(DbErrorKind.ForeignKeyViolation);
        violation.Key.Should().Be(ViolatedKey.Parent);
        violation.Columns.Should().Equal("run_id", "story_id");
        violation.Values.Should().Equal(Run, Id);
        violation.Position.Should().Be(4);
    }

    [Fact]
    public void ConflictOf_KeyRepeated_ReadsAsTheNaturalKeyError()
    {
        var staging = CheckedStagingStatements.For(RunEngineTables.Stories, Stories, Stories, PostgreSqlDialect.Instance);
        var values = new Dictionary<string, string?> { ["id"] = Id, ["run_id"] = Run, ["position"] = "1" };

        var violation = PostgreSqlBulkWriter.ConflictOf(staging, CheckedStagingStatements.KeyRepeated, 3, values);

        violation.Kind.Should().Be(DbErrorKind.UniqueViolation);
        violation.Key.Should().Be(ViolatedKey.NaturalKey);
        violation.Columns.Should().Equal("run_id", "position");
        violation.Values.Should().Equal(Run, "1");
    }

    [Fact]
    public void CitusReRaised_ShardPrimaryKey_ReadsTheIdWithoutTheShardSuffix()
    {
        var violation = PostgreSqlErrors.CitusReRaised(
            "duplicate key value violates unique constraint \"re_stories_pk_102008\"", $"Key (run_id, id)=({Run}, {Id}) already exists.", null, "re_")!;

        violation.Kind.Should().Be(DbErrorKind.UniqueViolation);
        violation.Constraint.Should().Be("re_stories_pk");
        violation.Key.Should().Be(ViolatedKey.Id);
        violation.Columns.Should().Equal("run_id", "id");
        violation.Values.Should().Equal(Run, Id);
    }

    [Fact]
    public void CitusReRaised_ShardForeignKey_ReadsRunAndStory()
    {
        var violation = PostgreSqlErrors.CitusReRaised(
            "insert or update on table \"re_cards_102040\" violates foreign key constraint \"re_cards_run_story_fk_102040\"",
            $"Key (run_id, story_id)=({Run}, {Id}) is not present in table \"re_stories_102008\".",
            null,
            "re_")!;

        violation.Kind.Should().Be(DbErrorKind.ForeignKeyViolation);
        violation.Constraint.Should().Be("re_cards_run_story_fk");
        violation.Values.Should().Equal(Run, Id);
    }

    [Fact]
    public void CitusReRaised_OtherInternalError_IsNoKeyError()
    {
        PostgreSqlErrors.CitusReRaised("could not connect to the worker node", null, null, "re_").Should().BeNull();
    }

    [Fact]
    public void Describe_InternalErrorOnOneServer_IsNoKeyError()
    {
        var error = new Npgsql.PostgresException(
            "duplicate key value violates unique constraint \"re_stories_pk_102008\"", "ERROR", "ERROR", "XX000", detail: $"Key (run_id, id)=({Run}, {Id}) already exists.");

        PostgreSqlErrors.Describe(error, "re_").Should().BeNull("only the distributed mode reads Citus's re-raise");
        PostgreSqlErrors.Describe(error, "re_", distributed: true)!.Key.Should().Be(ViolatedKey.Id);
    }
}
