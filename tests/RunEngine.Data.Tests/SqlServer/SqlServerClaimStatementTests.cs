using Microsoft.SqlServer.TransactSql.ScriptDom;
using RunEngine.Data.Mapping;

namespace RunEngine.Data.Tests.SqlServer;

/// <summary>
/// The claim statement's shape, read from ScriptDom's parse tree: what it locks, how, and what it returns. The shape
/// tests read the host clock's text (one statement, times as parameters); the database clock's is the same statement
/// after the declarations of those times, which the last tests check.
/// </summary>
public sealed class SqlServerClaimStatementTests
{
    private static readonly string Sql = SqlServerScriptDomTests.CreateProvider("host clock").ClaimStories;

    [Fact]
    public void ClaimStories_Parsed_IsOneUpdateOfTheStoriesTableThroughAPickCte()
    {
        var (script, _) = TSqlNodes.Of(Sql);

        var update = script.Batches.Single().Statements.Should().ContainSingle().Which.Should().BeOfType<UpdateStatement>().Subject;
        update.WithCtesAndXmlNamespaces.CommonTableExpressions.Select(c => c.ExpressionName.Value).Should().Equal("pick");
        var from = update.UpdateSpecification.FromClause.TableReferences.Single().Should().BeOfType<QualifiedJoin>().Subject;
        var target = from.FirstTableReference.Should().BeOfType<NamedTableReference>().Subject;
        target.SchemaObject.BaseIdentifier.Value.Should().Be("re_stories");
        target.Alias.Value.Should().Be("s");
        update.UpdateSpecification.Target.Should().BeOfType<NamedTableReference>().Which.SchemaObject.BaseIdentifier.Value.Should().Be("s");
        from.SecondTableReference.Should().BeOfType<NamedTableReference>().Which.SchemaObject.BaseIdentifier.Value.Should().Be("pick");
    }

    [Fact]
    public void ClaimStories_Picks_EachReadsStoriesWithUpdlockReadpastRowlock()
    {
        var (_, nodes) = TSqlNodes.Of(Sql);

        var stories = nodes.Tables.Where(t => t.SchemaObject.BaseIdentifier.Value == "re_stories").ToList();
        var picks = stories.Where(t => t.TableHints.Count > 0).ToList();

        stories.Should().HaveCount(3, "two picks and the update's own reference");
        picks.Should().HaveCount(2);
        picks.Should().OnlyContain(t => TSqlNodes.HintsOf(t).SequenceEqual(new[] { TableHintKind.UpdLock, TableHintKind.ReadPast, TableHintKind.Rowlock }));
        stories.Single(t => t.TableHints.Count == 0).Alias.Value.Should().Be("s");
    }

    [Fact]
    public void ClaimStories_Picks_AreTopMaxInPositionOrderAndTheOuterPickToo()
    {
        var (_, nodes) = TSqlNodes.Of(Sql);
        var visitor = new TopCollector();
        SqlServerScriptDomTests.Parse(Sql).Fragment.Accept(visitor);

        visitor.Specifications.Should().HaveCount(3);
        visitor.Specifications.Should().OnlyContain(q =>
            q.TopRowFilter != null && ((VariableReference)((ParenthesisExpression)q.TopRowFilter.Expression).Expression).Name == "@Max");
        visitor.Specifications.Select(q => TSqlNodes.ColumnNames(q.OrderByClause.OrderByElements.Select(e => (ColumnReferenceExpression)e.Expression)))
            .Should().AllSatisfy(order => order.Should().Equal("position"));
        nodes.Variables.Distinct().Should().BeEquivalentTo("@Max", "@RunId", "@Ready", "@InProgress", "@Now", "@Worker", "@Expires");
    }

    [Fact]
    public void ClaimStories_Set_ClaimsForTheWorkerWithLeaseTimeAndVersion()
    {
        var (script, _) = TSqlNodes.Of(Sql);
        var update = (UpdateStatement)script.Batches.Single().Statements.Single();

        var set = update.UpdateSpecification.SetClauses.Cast<AssignmentSetClause>()
            .ToDictionary(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value, c => c.NewValue);

        set.Keys.Should().BeEquivalentTo("status", "claimed_by", "lease_expires_at", "updated_at", "version");
        ((VariableReference)set["status"]).Name.Should().Be("@InProgress");
        ((VariableReference)set["claimed_by"]).Name.Should().Be("@Worker");
        ((VariableReference)set["lease_expires_at"]).Name.Should().Be("@Expires");
        ((VariableReference)set["updated_at"]).Name.Should().Be("@Now");
        set["version"].Should().BeOfType<BinaryExpression>().Which.BinaryExpressionType.Should().Be(BinaryExpressionType.Add);
    }

    [Fact]
    public void ClaimStories_Output_ReturnsTheInsertedColumnsInMapOrder()
    {
        var (script, _) = TSqlNodes.Of(Sql);
        var update = (UpdateStatement)script.Batches.Single().Statements.Single();

        var output = update.UpdateSpecification.OutputClause.SelectColumns.Cast<SelectScalarExpression>()
            .Select(c => (ColumnReferenceExpression)c.Expression).ToList();

        output.Should().OnlyContain(c => c.MultiPartIdentifier.Identifiers[0].Value == "inserted");
        TSqlNodes.ColumnNames(output).Should().Equal(RunEngineTables.Stories.Columns.Select(c => c.Name));
        update.UpdateSpecification.OutputIntoClause.Should().BeNull();
    }

    [Fact]
    public void ClaimStories_Join_FindsThePickedRowsByClusteredKeyAndId()
    {
        var (script, _) = TSqlNodes.Of(Sql);
        var update = (UpdateStatement)script.Batches.Single().Statements.Single();
        var join = (QualifiedJoin)update.UpdateSpecification.FromClause.TableReferences.Single();

        join.QualifiedJoinType.Should().Be(QualifiedJoinType.Inner);
        var condition = join.SearchCondition.Should().BeOfType<BooleanBinaryExpression>().Subject;
        var parts = new[] { condition.FirstExpression, condition.SecondExpression }.Cast<BooleanComparisonExpression>()
            .Select(c => TSqlNodes.ColumnNames([(ColumnReferenceExpression)c.FirstExpression, (ColumnReferenceExpression)c.SecondExpression]).Distinct().Single());
        parts.Should().Equal("seq", "id");
    }

    [Fact]
    public void ClaimStories_DatabaseClock_DeclaresNowAndExpiresFromSysUtcDateTimeThenTheSameStatement()
    {
        var sql = SqlServerScriptDomTests.CreateProvider("default").ClaimStories;
        var (script, nodes) = TSqlNodes.Of(sql);

        var statements = script.Batches.Single().Statements;
        statements.Should().HaveCount(4);
        statements.Take(3).Should().AllBeOfType<DeclareVariableStatement>();
        statements.Take(3).Cast<DeclareVariableStatement>().Select(d => d.Declarations.Single().VariableName.Value)
            .Should().Equal("@Utc", "@Now", "@Expires");
        statements[3].Should().BeOfType<UpdateStatement>();
        sql.Should().EndWith(Sql, "the claim itself is the host clock's, reading the declared @Now and @Expires");
        sql.Should().Contain("SYSUTCDATETIME()");
        nodes.Variables.Distinct().Should().Contain("@LeaseMicroseconds");
    }

    [Theory]
    [InlineData("default")]
    [InlineData("host clock")]
    public void LeaseTransitions_Output_ReturnTheStoredValues(string optionSet)
    {
        var runs = SqlServerScriptDomTests.CreateProvider(optionSet).Runs;

        foreach (var (sql, expected) in new[] { (runs.RenewLease, new[] { "version", "lease_expires_at", "updated_at" }), (runs.FinishClaim, new[] { "version", "updated_at" }) })
        {
            var (script, _) = TSqlNodes.Of(sql);
            var update = script.Batches.Single().Statements.OfType<UpdateStatement>().Should().ContainSingle().Subject;
            var output = update.UpdateSpecification.OutputClause.SelectColumns.Cast<SelectScalarExpression>()
                .Select(c => (ColumnReferenceExpression)c.Expression).ToList();
            output.Should().OnlyContain(c => c.MultiPartIdentifier.Identifiers[0].Value == "inserted");
            TSqlNodes.ColumnNames(output).Should().Equal(expected);
        }
    }

    private sealed class TopCollector : TSqlFragmentVisitor
    {
        public List<QuerySpecification> Specifications { get; } = [];

        public override void Visit(QuerySpecification node)
        {
            if (node.TopRowFilter is not null)
            {
                Specifications.Add(node);
            }
        }
    }
}
