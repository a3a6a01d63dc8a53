using Microsoft.SqlServer.TransactSql.ScriptDom;
using RunEngine.Data.SqlServer;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.Tests.SqlServer;

/// <summary>The T-SQL of set-based status changes (<see cref="SqlServerStatusStaging"/>), read from ScriptDom's parse tree.</summary>
public sealed class SqlServerStatusStagingTests
{
    private const string RunLog = "[dbo].[re_run_log]";

    [Fact]
    public void CreateText_Cards_DropsALeftoverThenCreatesAStageClusteredOnId()
    {
        var (script, _) = TSqlNodes.Of(SqlServerStatusStaging.CreateText(CardTable()));
        var statements = script.Batches.Single().Statements;

        statements.Should().HaveCount(2);
        ((IfStatement)statements[0]).ThenStatement.Should().BeOfType<DropTableStatement>()
            .Which.Objects.Single().BaseIdentifier.Value.Should().Be("#re_status_cards");
        var create = statements[1].Should().BeOfType<CreateTableStatement>().Subject;
        create.SchemaObjectName.BaseIdentifier.Value.Should().Be("#re_status_cards");
        var id = create.Definition.ColumnDefinitions[0];
        id.ColumnIdentifier.Value.Should().Be("id");
        id.Constraints.OfType<UniqueConstraintDefinition>().Single().Should().BeEquivalentTo(new { IsPrimaryKey = true, Clustered = (bool?)true });
        create.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value).Should()
            .Equal(SqlServerStatusStaging.LoadColumns.Append("actual_version"));
    }

    [Fact]
    public void InsertText_MostRows_StaysUnderTheParameterLimit()
    {
        var (script, nodes) = TSqlNodes.Of(SqlServerStatusStaging.InsertText(CardTable(), SqlServerStatusStaging.MaxRowsPerInsert));

        var insert = script.Batches.Single().Statements.OfType<InsertStatement>().Single();
        ((ValuesInsertSource)insert.InsertSpecification.InsertSource).RowValues.Should().HaveCount(SqlServerStatusStaging.MaxRowsPerInsert);
        nodes.Variables.Distinct().Count().Should().Be(2_000).And.BeLessThanOrEqualTo(2_098);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ApplyText_LocksInIdOrderReportsUpdatesWithLogAndDrops(bool cards)
    {
        var table = cards ? CardTable() : StoryTable();
        var target = cards ? "re_cards" : "re_stories";
        var (script, nodes) = TSqlNodes.Of(SqlServerStatusStaging.ApplyText(table, RunLog));
        var statements = script.Batches.Single().Statements;

        statements.Select(s => s.GetType().Name).Should().Equal(
            nameof(UpdateStatement), nameof(SelectStatement), nameof(UpdateStatement), nameof(SelectStatement), nameof(DropTableStatement));

        // The lock step: a forced loop join from the stage (clustered on id) seeks and locks the target in id order.
        var lockStep = (UpdateStatement)statements[0];
        lockStep.OptimizerHints.Select(h => h.HintKind).Should().BeEquivalentTo([OptimizerHintKind.LoopJoin, OptimizerHintKind.ForceOrder]);
        var locked = nodes.Tables.Where(t => t.SchemaObject.BaseIdentifier.Value == target && t.TableHints.Count > 0).Should().ContainSingle().Subject;
        TSqlNodes.HintsOf(locked).Should().Contain([TableHintKind.UpdLock, TableHintKind.HoldLock]);

        // The update writes one run-log entry per changed row through OUTPUT ... INTO, guarded in all-or-nothing mode.
        var update = (UpdateStatement)statements[2];
        var into = update.UpdateSpecification.OutputIntoClause;
        into.Should().NotBeNull();
        ((NamedTableReference)into.IntoTable).SchemaObject.BaseIdentifier.Value.Should().Be("re_run_log");
        into.IntoTableColumns.Should().HaveCount(8);
        nodes.Variables.Should().Contain(["@Now", "@Kind", "@ApplyWhatMatches"]);
        update.UpdateSpecification.SetClauses.Should().HaveCount(cards ? 3 : 5, "stories also end the claim unless the status is InProgress");
        if (!cards)
        {
            nodes.Variables.Should().Contain("@InProgress");
        }

        ((DropTableStatement)statements[4]).Objects.Single().BaseIdentifier.Value.Should().Be(SqlServerStatusStaging.StageName(table));
    }

    private static StatusChangeTable CardTable()
    {
        var provider = SqlServerScriptDomTests.CreateProvider("default");
        return new StatusChangeTable(null, provider.Cards, RunEventKinds.CardStatusChanged);
    }

    private static StatusChangeTable StoryTable()
    {
        var provider = SqlServerScriptDomTests.CreateProvider("default");
        return new StatusChangeTable(provider.Stories, null, RunEventKinds.StoryStatusChanged);
    }
}
