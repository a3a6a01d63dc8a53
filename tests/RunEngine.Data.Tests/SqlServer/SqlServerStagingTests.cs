using Microsoft.SqlServer.TransactSql.ScriptDom;
using RunEngine.Data.Mapping;
using RunEngine.Data.SqlServer;

namespace RunEngine.Data.Tests.SqlServer;

/// <summary>The staging path's T-SQL (retry-safe inserts, bulk writes in a caller's transaction), read from ScriptDom's parse tree.</summary>
public sealed class SqlServerStagingTests
{
    private const string Stories = "[dbo].[re_stories]";
    private const string Cards = "[dbo].[re_cards]";
    private const string RunLog = "[dbo].[re_run_log]";

    [Fact]
    public void StageName_EachTable_IsALocalTempTableOfItsOwn()
    {
        var names = new[]
        {
            SqlServerStaging.StageName(RunEngineTables.Stories), SqlServerStaging.StageName(RunEngineTables.Cards), SqlServerStaging.StageName(RunEngineTables.RunLog),
        };

        names.Should().Equal("#re_stage_stories", "#re_stage_cards", "#re_stage_run_log");
    }

    [Fact]
    public void CreateText_Stories_DropsALeftoverThenCopiesTheMappedColumnsAfterARowNumber()
    {
        var (script, _) = TSqlNodes.Of(SqlServerStaging.CreateText(Stories, RunEngineTables.Stories));
        var statements = script.Batches.Single().Statements;

        statements.Should().HaveCount(2);
        var drop = ((IfStatement)statements[0]).ThenStatement.Should().BeOfType<DropTableStatement>().Subject;
        drop.Objects.Single().BaseIdentifier.Value.Should().Be("#re_stage_stories");
        var select = statements[1].Should().BeOfType<SelectStatement>().Subject;
        select.Into.BaseIdentifier.Value.Should().Be("#re_stage_stories");
        var query = (QuerySpecification)select.QueryExpression;
        ((IntegerLiteral)((ParenthesisExpression)query.TopRowFilter.Expression).Expression).Value.Should().Be("0");
        var elements = query.SelectElements.Cast<SelectScalarExpression>().ToList();
        elements[0].Expression.Should().BeOfType<IdentityFunctionCall>();
        elements[0].ColumnName.Value.Should().Be(SqlServerStaging.RowColumn);
        TSqlNodes.ColumnNames(elements.Skip(1).Select(e => (ColumnReferenceExpression)e.Expression))
            .Should().Equal(RunEngineTables.Stories.Columns.Select(c => c.Name), "seq is not copied, so the staging table has no identity of the target");
        ((NamedTableReference)query.FromClause.TableReferences.Single()).SchemaObject.BaseIdentifier.Value.Should().Be("re_stories");
    }

    [Fact]
    public void InsertMissingText_Stories_SkipsRowsMatchingByIdOrByRunAndPositionUnderKeyRangeLocks()
    {
        var (script, nodes) = TSqlNodes.Of(SqlServerStaging.InsertMissingText(Stories, RunEngineTables.Stories));
        var statements = script.Batches.Single().Statements;

        statements.Select(s => s.GetType()).Should().Equal(typeof(InsertStatement), typeof(SelectStatement), typeof(DropTableStatement));
        AssertInsertsMappedColumnsInArrivalOrder((InsertStatement)statements[0], "re_stories", RunEngineTables.Stories);
        nodes.Exists.Should().HaveCount(2);
        KeysOf(nodes.Exists[0]).Should().Equal("id");
        KeysOf(nodes.Exists[1]).Should().Equal("run_id", "position");
        nodes.Tables.Where(t => t.SchemaObject.BaseIdentifier.Value == "re_stories" && t.TableHints.Count > 0)
            .Should().HaveCount(2).And.OnlyContain(t => TSqlNodes.HintsOf(t).SequenceEqual(new[] { TableHintKind.UpdLock, TableHintKind.HoldLock }));
        var count = (QuerySpecification)((SelectStatement)statements[1]).QueryExpression;
        ((FunctionCall)((SelectScalarExpression)count.SelectElements.Single()).Expression).FunctionName.Value.Should().Be("ROWCOUNT_BIG");
        ((DropTableStatement)statements[2]).Objects.Single().BaseIdentifier.Value.Should().Be("#re_stage_stories");
    }

    [Fact]
    public void InsertMissingText_Cards_NaturalKeyIsRunStoryAndPosition()
    {
        var (_, nodes) = TSqlNodes.Of(SqlServerStaging.InsertMissingText(Cards, RunEngineTables.Cards));

        nodes.Exists.Should().HaveCount(2);
        KeysOf(nodes.Exists[0]).Should().Equal("id");
        KeysOf(nodes.Exists[1]).Should().Equal("run_id", "story_id", "position");
    }

    [Fact]
    public void InsertMissingText_RunLog_WithoutNaturalKeyChecksOnlyTheId()
    {
        var (script, nodes) = TSqlNodes.Of(SqlServerStaging.InsertMissingText(RunLog, RunEngineTables.RunLog));

        nodes.Exists.Should().ContainSingle();
        KeysOf(nodes.Exists[0]).Should().Equal("id");
        AssertInsertsMappedColumnsInArrivalOrder((InsertStatement)script.Batches.Single().Statements[0], "re_run_log", RunEngineTables.RunLog);
    }

    [Fact]
    public void InsertAllText_Cards_InsertsEveryStagedRowInArrivalOrderThenDrops()
    {
        var (script, nodes) = TSqlNodes.Of(SqlServerStaging.InsertAllText(Cards, RunEngineTables.Cards));
        var statements = script.Batches.Single().Statements;

        statements.Select(s => s.GetType()).Should().Equal(typeof(InsertStatement), typeof(DropTableStatement));
        var query = AssertInsertsMappedColumnsInArrivalOrder((InsertStatement)statements[0], "re_cards", RunEngineTables.Cards);
        query.WhereClause.Should().BeNull();
        nodes.Tables.Should().OnlyContain(t => t.TableHints.Count == 0);
    }

    [Fact]
    public void Texts_CustomSchemaAndPrefix_UseTheQualifiedTargetAndTheSameStageName()
    {
        var provider = SqlServerScriptDomTests.CreateProvider("custom schema and prefix");

        var texts = provider.AllStatementTexts().Where(t => t.Name.StartsWith("Story staging", StringComparison.Ordinal)).Select(t => t.Sql).ToList();

        texts.Should().HaveCount(3).And.OnlyContain(t => t.Contains("[Run_Engine].[app_stories]", StringComparison.Ordinal));
        texts.Should().OnlyContain(t => t.Contains("#re_stage_stories", StringComparison.Ordinal));
    }

    private static QuerySpecification AssertInsertsMappedColumnsInArrivalOrder<T>(InsertStatement insert, string table, TableMap<T> map)
        where T : class
    {
        var specification = insert.InsertSpecification;
        ((NamedTableReference)specification.Target).SchemaObject.BaseIdentifier.Value.Should().Be(table);
        TSqlNodes.ColumnNames(specification.Columns).Should().Equal(map.Columns.Select(c => c.Name));
        var select = (SelectInsertSource)specification.InsertSource;
        var query = (QuerySpecification)select.Select;
        TSqlNodes.ColumnNames(query.SelectElements.Cast<SelectScalarExpression>().Select(e => (ColumnReferenceExpression)e.Expression))
            .Should().Equal(map.Columns.Select(c => c.Name));
        ((NamedTableReference)query.FromClause.TableReferences.Single()).SchemaObject.BaseIdentifier.Value.Should().Be(SqlServerStaging.StageName(map));

        // Identity values follow an INSERT ... SELECT's ORDER BY: seq keeps the order the rows were sent in.
        var order = query.OrderByClause.OrderByElements.Single();
        ((ColumnReferenceExpression)order.Expression).MultiPartIdentifier.Identifiers[^1].Value.Should().Be(SqlServerStaging.RowColumn);
        return query;
    }

    /// <summary>The target columns a NOT EXISTS compares with the staged row, in the order written.</summary>
    private static IEnumerable<string> KeysOf(ExistsPredicate exists)
    {
        var query = (QuerySpecification)exists.Subquery.QueryExpression;
        var comparisons = new List<BooleanComparisonExpression>();
        Flatten(query.WhereClause.SearchCondition, comparisons);
        return comparisons.Select(c => ((ColumnReferenceExpression)c.FirstExpression).MultiPartIdentifier.Identifiers[^1].Value);
    }

    private static void Flatten(BooleanExpression expression, List<BooleanComparisonExpression> comparisons)
    {
        switch (expression)
        {
            case BooleanBinaryExpression { BinaryExpressionType: BooleanBinaryExpressionType.And } and:
                Flatten(and.FirstExpression, comparisons);
                Flatten(and.SecondExpression, comparisons);
                break;
            case BooleanComparisonExpression comparison:
                comparisons.Add(comparison);
                break;
            default:
                throw new InvalidOperationException($"Unexpected condition {expression.GetType().Name}");
        }
    }
}
