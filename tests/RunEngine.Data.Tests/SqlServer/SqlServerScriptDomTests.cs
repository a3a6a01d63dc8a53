using Microsoft.SqlServer.TransactSql.ScriptDom;
using RunEngine.Data.SqlServer;

namespace RunEngine.Data.Tests.SqlServer;

/// <summary>Every T-SQL text the SQL Server provider can send parses without errors (no server needed).</summary>
public sealed class SqlServerScriptDomTests
{
    public static TheoryData<string> OptionSets => new() { "default", "custom schema and prefix", "no prefix", "threshold 7", "threshold 0", "host clock" };

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void AllStatementTexts_EveryText_ParsesWithZeroErrors(string optionSet)
    {
        var provider = CreateProvider(optionSet);
        var texts = provider.AllStatementTexts().ToList();

        var failures = texts
            .Select(t => (t.Name, t.Sql, Errors: Parse(t.Sql).Errors))
            .Where(t => t.Errors.Count > 0)
            .Select(t => $"{t.Name}: {string.Join("; ", t.Errors.Select(e => $"{e.Line}:{e.Column} {e.Message}"))}\n{t.Sql}")
            .ToList();

        failures.Should().BeEmpty();
        texts.Should().OnlyContain(t => !t.Sql.Contains("$(", StringComparison.Ordinal), "every placeholder is expanded");
    }

    [Fact]
    public void AllStatementTexts_Default_CoversEveryKindOfStatement()
    {
        var names = CreateProvider("default").AllStatementTexts().Select(t => t.Name).ToList();

        names.Should().OnlyHaveUniqueItems();
        names.Should().Contain(
        [
            "script 000 batch 1", "script 000 batch 2", "script 001 batch 1", "script 001 batch 2", "script 001 batch 3",
            "DatabaseProvider.CardsByStory", "DatabaseProvider.CardsByRun",
            "Stories.SelectById", "Stories.SelectByRun", "Stories.SelectVersion", "Stories.UpdateStatus", "Stories.DeleteByRun",
            "Stories.SelectExistingIds", "Cards.SelectById", "Cards.SelectByRun", "Cards.UpdateStatus", "Cards.DeleteByRun",
            "Cards.SelectExistingIds", "SchemaMigrator.CurrentVersionSql", "SchemaMigrator.RecordVersionSql", "SqlServerSchema.LockSql",
            "Story INSERT of 1 rows", "Story INSERT of 2 rows", "Story INSERT of 49 rows", "Card INSERT of 1 rows", "Card INSERT of 49 rows",
            "script 002 batch 1", "script 002 batch 2", "script 002 batch 3", "script 002 batch 4", "script 002 batch 5",
            "script 003 batch 1", "script 003 batch 2", "script 003 batch 3", "script 003 batch 4", "script 003 batch 5",
            "script 003 batch 6", "script 003 batch 7",
            "DatabaseProvider.ClaimStories",
            "Runs.InsertEvent", "Runs.StoryStatusEvent", "Runs.CardStatusEvent", "Runs.RenewLease", "Runs.FinishClaim", "Runs.InspectClaim", "Runs.Progress",
            "RunLog.SelectById", "RunLog.SelectByRun", "RunLog.DeleteByRun", "RunLog.SelectExistingIds", "RunEvent INSERT of 1 rows",
            "Story staging CreateText", "Story INSERT of 1 rows into staging", "Story INSERT of 49 rows into staging",
            "Story staging InsertMissingText", "Story staging InsertAllText",
            "Card staging CreateText", "Card INSERT of 49 rows into staging", "Card staging InsertMissingText", "Card staging InsertAllText",
            "RunEvent staging CreateText", "RunEvent INSERT of 2 rows into staging", "RunEvent staging InsertMissingText", "RunEvent staging InsertAllText",
            "SchemaPrecondition 003", "KeyLookup.ByKey stories", "KeyLookup.ByKey cards", "KeyLookup.RunsOfParents",
            "SqlServerStatusByParent stories", "SqlServerStatusByParent cards",
            "SingleRow.StoryStatus", "SingleRow.CardStatus", "SingleRow.RenewLease", "SingleRow.FinishClaim",
        ]);
        names.Should().NotContain(n => n.EndsWith(".Table", StringComparison.Ordinal) || n.EndsWith(".ColumnList", StringComparison.Ordinal));
    }

    [Fact]
    public void AllStatementTexts_RunStatements_EveryStringPropertyIsCovered()
    {
        // Reflection finds the statements; a property added to RunStatements later is parsed without listing it here.
        var names = CreateProvider("default").AllStatementTexts().Select(t => t.Name).ToHashSet();
        var properties = typeof(RunEngine.Data.Providers.RunStatements).GetProperties().Where(p => p.PropertyType == typeof(string));

        properties.Select(p => "Runs." + p.Name).Should().OnlyContain(n => names.Contains(n)).And.HaveCountGreaterThanOrEqualTo(7);
    }

    [Fact]
    public void AllStatementTexts_DapperListParameter_IsExpandedAsDapperSendsIt()
    {
        var text = CreateProvider("default").AllStatementTexts().Single(t => t.Name == "Cards.SelectExistingIds").Sql;

        text.Should().Be("SELECT [id] FROM [dbo].[re_cards] WHERE [id] IN (@Ids1, @Ids2)");
    }

    [Fact]
    public void AllStatementTexts_KeyLookups_AreTheTextsTheTranslationSends()
    {
        var texts = CreateProvider("default").AllStatementTexts().ToDictionary(t => t.Name, t => t.Sql);

        texts["KeyLookup.ByKey cards"].Should().Be("SELECT [id] FROM [dbo].[re_cards] WHERE [run_id] = @K0 AND [story_id] = @K1 AND [position] = @K2");
        texts["KeyLookup.ByKey stories"].Should().Be("SELECT [id] FROM [dbo].[re_stories] WHERE [run_id] = @K0 AND [position] = @K1");
        texts["KeyLookup.RunsOfParents"].Should().Be("SELECT [id], [run_id] FROM [dbo].[re_stories] WHERE [id] IN (@Ids1, @Ids2)");
    }

    [Fact]
    public void AllStatementTexts_MultiRowInsert_HasOneRowConstructorPerRowAndParametersWithinTheLimit()
    {
        foreach (var (name, sql) in CreateProvider("default").AllStatementTexts().Where(t => t.Name.Contains("INSERT of", StringComparison.Ordinal)))
        {
            var (fragment, errors) = Parse(sql);
            errors.Should().BeEmpty();
            var insert = fragment.Batches.Single().Statements.OfType<InsertStatement>().Single();
            var values = (ValuesInsertSource)insert.InsertSpecification.InsertSource;
            var rows = int.Parse(name.Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture);
            values.RowValues.Should().HaveCount(rows, name);
            var columns = insert.InsertSpecification.Columns.Count;
            values.RowValues.Should().OnlyContain(r => r.ColumnValues.Count == columns);
            (rows * columns).Should().BeLessThanOrEqualTo(2_098, name);
        }
    }

    [Theory]
    [InlineData("default")]
    [InlineData("host clock")]
    public void AllStatementTexts_SingleRowChanges_AreOneUpdateWithOutputIntoTheRunLogAndNoTransaction(string optionSet)
    {
        var texts = CreateProvider(optionSet).AllStatementTexts().Where(t => t.Name.StartsWith("SingleRow.", StringComparison.Ordinal)).ToList();

        texts.Select(t => t.Name).Should().BeEquivalentTo(["SingleRow.StoryStatus", "SingleRow.CardStatus", "SingleRow.RenewLease", "SingleRow.FinishClaim"]);
        foreach (var (name, sql) in texts)
        {
            var (fragment, errors) = Parse(sql);
            errors.Should().BeEmpty(name);
            var statements = fragment.Batches.Single().Statements;
            // One request: the clock's DECLAREs (database clock, lease transitions) and one UPDATE; atomic in autocommit.
            statements.Where(s => s is not DeclareVariableStatement).Should().ContainSingle(name).Which.Should().BeOfType<UpdateStatement>();
            var update = (UpdateStatement)statements.Single(s => s is UpdateStatement);
            update.UpdateSpecification.OutputIntoClause.Should().NotBeNull(name);
            update.UpdateSpecification.OutputIntoClause.IntoTable.Should().BeOfType<NamedTableReference>()
                .Which.SchemaObject.BaseIdentifier.Value.Should().Be("re_run_log", name);
            update.UpdateSpecification.OutputClause.Should().NotBeNull(name);
            statements.OfType<BeginTransactionStatement>().Should().BeEmpty(name);
        }
    }

    [Fact]
    public void Parse_BrokenText_ReportsErrors()
    {
        // Guards the test itself: the parser must reject what SQL Server would reject.
        Parse("SELECT FROM WHERE [dbo].[re_stories]").Errors.Should().NotBeEmpty();
        Parse("INSERT INTO [dbo].[re_stories] ([id]) VALUES (@p0), ").Errors.Should().NotBeEmpty();
    }

    internal static SqlServerProvider CreateProvider(string optionSet) => new("Server=unused", optionSet switch
    {
        "default" => new SqlServerOptions(),
        "custom schema and prefix" => new SqlServerOptions { Schema = "Run_Engine", TablePrefix = "app_" },
        "no prefix" => new SqlServerOptions { Schema = "data", TablePrefix = "" },
        "threshold 7" => new SqlServerOptions { SmallBatchThreshold = 7 },
        "threshold 0" => new SqlServerOptions { SmallBatchThreshold = 0 },
        "host clock" => new SqlServerOptions { LeaseClock = LeaseClock.Host },
        _ => throw new ArgumentOutOfRangeException(nameof(optionSet)),
    });

    internal static (TSqlScript Fragment, IList<ParseError> Errors) Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var fragment = (TSqlScript)parser.Parse(reader, out var errors);
        return (fragment, errors);
    }
}
