using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace RunEngine.Data.Tests.SqlServer;

/// <summary>
/// The shipped T-SQL scripts stay within what every T-SQL dialect accepts (Babelfish for Aurora PostgreSQL rejects a
/// list of columns in one <c>ALTER TABLE … ADD</c>), and script 003 has the agreed keys.
/// </summary>
public sealed class SqlServerScriptPortabilityTests
{
    [Fact]
    public void Scripts_EveryAlterTableAdd_AddsOneColumnOrConstraint()
    {
        var adds = ScriptStatements().OfType<AlterTableAddTableElementStatement>().ToList();

        adds.Should().HaveCountGreaterThanOrEqualTo(5, "002 adds two columns and 003 three constraints");
        adds.Should().OnlyContain(a => a.Definition.ColumnDefinitions.Count + a.Definition.TableConstraints.Count + a.Definition.Indexes.Count == 1);
        adds.Should().OnlyContain(
            a => a.ExistingRowsCheckEnforcement == ConstraintEnforcement.NotSpecified,
            "a new constraint checks the existing rows by default; WITH CHECK / NOCHECK is SQL Server syntax other dialects need not take");
    }

    [Fact]
    public void Script003_Keys_AreCompositeAndLeadWithRunId()
    {
        var statements = ScriptStatements(3).ToList();

        var added = statements.OfType<AlterTableAddTableElementStatement>().SelectMany(a => a.Definition.TableConstraints).ToList();
        var unique = added.OfType<UniqueConstraintDefinition>().ToDictionary(u => u.ConstraintIdentifier.Value, u => u.Columns.Select(c => Column(c.Column)).ToList());
        unique.Should().HaveCount(2);
        unique["UQ_re_stories_run_id_id"].Should().Equal("run_id", "id");
        unique["UQ_re_cards_run_id_story_id_position"].Should().Equal("run_id", "story_id", "position");
        added.OfType<UniqueConstraintDefinition>().Should().OnlyContain(u => u.Clustered != true, "seq stays the clustered key");
        var fk = added.OfType<ForeignKeyConstraintDefinition>().Single();
        fk.ConstraintIdentifier.Value.Should().Be("FK_re_cards_run_id_story_id_stories");
        fk.Columns.Select(c => c.Value).Should().Equal("run_id", "story_id");
        fk.ReferencedTableColumns.Select(c => c.Value).Should().Equal("run_id", "id");
        statements.OfType<AlterTableDropTableElementStatement>().SelectMany(d => d.AlterTableDropTableElements).Select(e => e.Name.Value)
            .Should().BeEquivalentTo("FK_re_cards_stories", "UQ_re_cards_story_id_position");
        statements.OfType<DropIndexStatement>().SelectMany(d => d.DropIndexClauses).OfType<DropIndexClause>().Select(c => c.Index.Value)
            .Should().Equal("IX_re_cards_run_id");
    }

    private static string Column(ColumnReferenceExpression column) => column.MultiPartIdentifier.Identifiers[^1].Value;

    private static IEnumerable<TSqlStatement> ScriptStatements(int? version = null)
    {
        var provider = SqlServerScriptDomTests.CreateProvider("default");
        foreach (var script in provider.Schema.Scripts.Where(s => version is null || s.Version == version))
        {
            foreach (var batch in provider.Schema.SplitBatches(provider.Tables.Expand(script.Text)))
            {
                var (fragment, errors) = SqlServerScriptDomTests.Parse(batch);
                errors.Should().BeEmpty();
                foreach (var statement in fragment.Batches.SelectMany(b => b.Statements))
                {
                    yield return statement;
                }
            }
        }
    }
}
