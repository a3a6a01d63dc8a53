using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace RunEngine.Data.Tests.SqlServer;

/// <summary>
/// The T-SQL of the run-scoped status changes (issue 12), read from ScriptDom's parse tree: every reference to a library
/// table that a statement reads or changes rows of is matched by <c>run_id = @RunId</c> on that table (an INSERT's or
/// OUTPUT INTO's target is written, not searched); the id-only texts do not name the run.
/// </summary>
public sealed class SqlServerRunScopedStatusTextTests
{
    private static readonly string[] RunScoped =
    [
        "RunScopedStatus.StoryUpdateStatus", "RunScopedStatus.CardUpdateStatus", "RunScopedStatus.StoryStatusEvent", "RunScopedStatus.CardStatusEvent",
        "RunScopedStatus.StorySelectVersion", "RunScopedStatus.CardSelectVersion", "RunScopedStatus.StorySelectVersions", "RunScopedStatus.CardSelectVersions",
        "RunScopedStatus.StoryStatusOneStatement", "RunScopedStatus.CardStatusOneStatement",
        "Story status staging ApplyText in run", "Card status staging ApplyText in run", "SqlServerStatusByParent cards in run",
    ];

    private static readonly string[] IdOnly =
    [
        "Stories.UpdateStatus", "Cards.UpdateStatus", "Runs.StoryStatusEvent", "Runs.CardStatusEvent", "Stories.SelectVersion", "Cards.SelectVersion",
        "Runs.FindEvents", "SingleRow.StoryStatus", "SingleRow.CardStatus", "Story status staging ApplyText", "Card status staging ApplyText",
        "SqlServerStatusByParent cards",
    ];

    public static TheoryData<string> OptionSets => new() { "default", "custom schema and prefix", "no prefix" };

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void AllStatementTexts_RunScopedStatus_EverySearchedLibraryTableNamesRunIdAtRunId(string optionSet)
    {
        var provider = SqlServerScriptDomTests.CreateProvider(optionSet);
        var texts = provider.AllStatementTexts().ToDictionary(t => t.Name, t => t.Sql);
        var tables = new[] { provider.Tables.Stories, provider.Tables.Cards, provider.Tables.RunLog }.Select(BaseName).ToHashSet(StringComparer.OrdinalIgnoreCase);

        texts.Keys.Should().Contain(RunScoped);
        foreach (var name in RunScoped)
        {
            var (script, errors) = SqlServerScriptDomTests.Parse(texts[name]);
            errors.Should().BeEmpty(name);
            var scope = new RunScopeNodes();
            script.Accept(scope);
            var searched = scope.Tables.Where(t => tables.Contains(t.SchemaObject.BaseIdentifier.Value) && !scope.Written.Contains(t)).ToList();
            searched.Should().NotBeEmpty(name);
            foreach (var table in searched)
            {
                var exposed = table.Alias?.Value ?? table.SchemaObject.BaseIdentifier.Value;
                scope.RunMatches.Should().Contain(
                    q => q == null || string.Equals(q, exposed, StringComparison.OrdinalIgnoreCase),
                    $"{name} searches {exposed}, which must be matched by run_id = @RunId");
            }
        }
    }

    [Fact]
    public void AllStatementTexts_IdOnlyStatusForms_KeepTheirTextsWithoutTheRun()
    {
        var texts = SqlServerScriptDomTests.CreateProvider("default").AllStatementTexts().ToDictionary(t => t.Name, t => t.Sql);

        foreach (var name in IdOnly)
        {
            texts[name].Should().NotContain("@RunId", name);
        }

        texts["Stories.UpdateStatus"].Should().EndWith("WHERE [id] = @Id AND [version] = @ExpectedVersion");
        texts["RunScopedStatus.StoryUpdateStatus"].Should().Be(
            texts["Stories.UpdateStatus"].Replace("WHERE [id] = @Id", "WHERE [run_id] = @RunId AND [id] = @Id", StringComparison.Ordinal),
            "the run-scoped UPDATE is the id-only one with the run added to its condition");
    }

    [Fact]
    public void ApplyText_RunScopedStatusStaging_JoinsTheTargetOnRunIdAndIdInTheLockStepAndTheUpdate()
    {
        var texts = SqlServerScriptDomTests.CreateProvider("default").AllStatementTexts().ToDictionary(t => t.Name, t => t.Sql);
        var sql = texts["Card status staging ApplyText in run"];

        sql.Should().Contain("INNER JOIN [dbo].[re_cards] AS t WITH (UPDLOCK, HOLDLOCK, ROWLOCK) ON t.[run_id] = @RunId AND t.[id] = s.[id]");
        sql.Should().Contain("WHERE t.[run_id] = @RunId AND t.[version] = s.[expected_version]");
        texts["SqlServerStatusByParent cards in run"].Should().NotContain("re_stories", "the cards are found by run and story on their natural key");
    }

    private static string BaseName(string qualified) => qualified.Split('.')[^1].Trim('[', ']');

    /// <summary>The table references, the ones written (INSERT and OUTPUT INTO targets), and the qualifiers of <c>run_id = @RunId</c>.</summary>
    private sealed class RunScopeNodes : TSqlFragmentVisitor
    {
        public List<NamedTableReference> Tables { get; } = [];

        public HashSet<TSqlFragment> Written { get; } = [];

        /// <summary>The qualifier of each <c>run_id = @RunId</c> (null when unqualified).</summary>
        public List<string?> RunMatches { get; } = [];

        public override void Visit(NamedTableReference node) => Tables.Add(node);

        public override void Visit(InsertSpecification node)
        {
            if (node.Target is NamedTableReference target)
            {
                Written.Add(target);
            }
        }

        public override void Visit(OutputIntoClause node)
        {
            if (node.IntoTable is NamedTableReference into)
            {
                Written.Add(into);
            }
        }

        public override void Visit(BooleanComparisonExpression node)
        {
            if (node.ComparisonType != BooleanComparisonType.Equals)
            {
                return;
            }

            var (column, value) = node.FirstExpression is ColumnReferenceExpression c ? (c, node.SecondExpression) : (node.SecondExpression as ColumnReferenceExpression, node.FirstExpression);
            if (column?.MultiPartIdentifier is { } parts && parts.Identifiers[^1].Value == "run_id" && value is VariableReference { Name: "@RunId" })
            {
                RunMatches.Add(parts.Identifiers.Count > 1 ? parts.Identifiers[^2].Value : null);
            }
        }
    }
}
