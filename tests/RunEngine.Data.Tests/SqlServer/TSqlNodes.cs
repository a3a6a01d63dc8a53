using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace RunEngine.Data.Tests.SqlServer;

/// <summary>Collects the nodes of a parsed T-SQL fragment that the statement tests inspect.</summary>
internal sealed class TSqlNodes : TSqlFragmentVisitor
{
    public List<NamedTableReference> Tables { get; } = [];

    public List<string> Variables { get; } = [];

    public List<ExistsPredicate> Exists { get; } = [];

    /// <summary>Parses <paramref name="sql"/> (which must parse without errors) and collects its nodes.</summary>
    public static (TSqlScript Script, TSqlNodes Nodes) Of(string sql)
    {
        var (script, errors) = SqlServerScriptDomTests.Parse(sql);
        errors.Should().BeEmpty(sql);
        var nodes = new TSqlNodes();
        script.Accept(nodes);
        return (script, nodes);
    }

    /// <summary>The hints of a table reference, in the order written.</summary>
    public static IEnumerable<TableHintKind> HintsOf(NamedTableReference table) => table.TableHints.Select(h => h.HintKind);

    /// <summary>The last part of each column reference ("[s].[id]" gives "id").</summary>
    public static IEnumerable<string> ColumnNames(IEnumerable<ColumnReferenceExpression> columns) =>
        columns.Select(c => c.MultiPartIdentifier.Identifiers[^1].Value);

    public override void Visit(NamedTableReference node) => Tables.Add(node);

    public override void Visit(VariableReference node) => Variables.Add(node.Name);

    public override void Visit(ExistsPredicate node) => Exists.Add(node);
}
