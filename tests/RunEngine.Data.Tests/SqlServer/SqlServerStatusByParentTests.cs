using Microsoft.SqlServer.TransactSql.ScriptDom;
using RunEngine.Data.SqlServer;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.Tests.SqlServer;

/// <summary>The T-SQL of status changes by parent (<see cref="SqlServerStatusByParent"/>), read from ScriptDom's parse tree.</summary>
public sealed class SqlServerStatusByParentTests
{
    private const string RunLog = "[dbo].[re_run_log]";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ApplyText_FullChunk_OneUpdateWithLogIntoTheRunLogThenTheCountWithinTheParameterLimit(bool cards)
    {
        var provider = SqlServerScriptDomTests.CreateProvider("default");
        var table = cards
            ? new StatusChangeTable(null, provider.Cards, RunEventKinds.CardStatusChanged) { StoriesTable = provider.Tables.Stories }
            : new StatusChangeTable(provider.Stories, null, RunEventKinds.StoryStatusChanged);
        var statuses = cards ? Enum.GetValues<CardStatus>().Length : Enum.GetValues<StoryStatus>().Length;

        var sql = SqlServerStatusByParent.ApplyText(table, RunLog, SqlServerStatusByParent.ParentsPerStatement, statuses);
        var (script, nodes) = TSqlNodes.Of(sql);

        var statements = script.Batches.Single().Statements;
        statements.Select(s => s.GetType().Name).Should().Equal(nameof(UpdateStatement), nameof(SelectStatement));
        var update = (UpdateStatement)statements[0];
        var into = update.UpdateSpecification.OutputIntoClause;
        into.Should().NotBeNull();
        ((NamedTableReference)into.IntoTable).SchemaObject.BaseIdentifier.Value.Should().Be("re_run_log");
        into.IntoTableColumns.Should().HaveCount(8);
        into.SelectColumns.Should().HaveCount(8);
        update.UpdateSpecification.SetClauses.Should().HaveCount(cards ? 3 : 5, "stories also end the claim unless the status is InProgress");
        nodes.Variables.Should().Contain(["@To", "@Now", "@Kind", "@Message", "@MessageHead", "@p0", "@f0"]);
        nodes.Variables.Distinct().Count().Should().BeLessThanOrEqualTo(2_100, "SQL Server's parameter limit per command");
        if (cards)
        {
            nodes.Tables.Select(t => t.SchemaObject.BaseIdentifier.Value).Should().Contain("re_stories", "the cards' run is read from their story");
        }
    }

    [Fact]
    public void Chunks_MoreParentsThanAChunk_CoversEachOnceInOrder()
    {
        var ids = Enumerable.Range(0, 4_500).Select(_ => Guid.CreateVersion7()).Order().ToList();
        var change = new ParentStatusChange(ids, [0], 1, null, "status set to X (version ", DateTimeOffset.UnixEpoch);

        var chunks = change.Chunks(SqlServerStatusByParent.ParentsPerStatement).ToList();

        chunks.Select(c => c.Count).Should().Equal(2_000, 2_000, 500);
        chunks.SelectMany(c => c).Should().Equal(ids);
        change.MessageFor(3).Should().Be("status set to X (version 3)");
        (change with { Message = "given" }).MessageFor(3).Should().Be("given");
    }
}
