using System.Text.RegularExpressions;
using RunEngine.Data.PostgreSql;
using RunEngine.Data.PostgreSql.Schema;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Tests.PostgreSql;

/// <summary>
/// The distributed layout's DDL (Scripts/Distribution), read as text: every key carries run_id, the tables are
/// distributed by run_id and colocated with stories, and the schema-version table is never distributed.
/// </summary>
public sealed partial class PostgreSqlDistributionScriptTests
{
    private static readonly TableNames Tables = new(new PostgreSqlOptions { Schema = "app" }, PostgreSqlDialect.Instance);

    private static string RunKeys => Tables.Expand(DistributionScripts.RunKeys.Text);

    private static string Distribute => Tables.Expand(DistributionScripts.Distribute.Text);

    [Theory]
    [InlineData("stories")]
    [InlineData("cards")]
    [InlineData("run_log")]
    public void RunKeys_EachTable_PrimaryKeyIsRunIdThenId(string table)
    {
        var added = PrimaryKeys().Matches(RunKeys).Select(m => (Name: m.Groups["name"].Value, Columns: m.Groups["columns"].Value)).ToList();

        added.Should().ContainSingle(k => k.Name == $"re_{table}_pk").Which.Columns.Should().Be("run_id, id");
        RunKeys.Should().Contain($"DROP CONSTRAINT \"re_{table}_pk\"", "the (id) key goes first");
    }

    [Fact]
    public void RunKeys_EveryUniqueOrPrimaryKey_IncludesRunId()
    {
        var keys = PrimaryKeys().Matches(RunKeys).Select(m => m.Groups["columns"].Value)
            .Concat(UniqueKeys().Matches(RunKeys).Select(m => m.Groups["columns"].Value))
            .ToList();

        keys.Should().HaveCount(3).And.OnlyContain(columns => columns.Split(", ", StringSplitOptions.None).Contains("run_id"));
        RunKeys.Should().NotContain("CREATE UNIQUE INDEX");
    }

    [Fact]
    public void RunKeys_StoriesRunIdKey_BecomesThePrimaryKeyAndTheCardsForeignKeyIsAddedAgain()
    {
        var dropFk = RunKeys.IndexOf("DROP CONSTRAINT IF EXISTS \"re_cards_run_story_fk\"", StringComparison.Ordinal);
        var dropUnique = RunKeys.IndexOf("DROP CONSTRAINT IF EXISTS \"re_stories_run_id_uq\"", StringComparison.Ordinal);
        var addFk = RunKeys.IndexOf("ADD CONSTRAINT \"re_cards_run_story_fk\" FOREIGN KEY (run_id, story_id) REFERENCES \"app\".\"re_stories\" (run_id, id)", StringComparison.Ordinal);

        dropFk.Should().BePositive();
        dropUnique.Should().BeGreaterThan(dropFk, "the foreign key depends on the unique key it references");
        addFk.Should().BeGreaterThan(dropUnique, "it references the new primary key");
        RunKeys.Should().NotContain("ON DELETE CASCADE");
    }

    [Theory]
    [InlineData("stories", "\"app\".\"re_stories\"")]
    [InlineData("cards", "\"app\".\"re_cards\"")]
    [InlineData("run_log", "\"app\".\"re_run_log\"")]
    public void RunKeys_EachTable_GetsAPlainIndexOnId(string table, string qualified)
    {
        RunKeys.Should().Contain($"CREATE INDEX \"re_{table}_id_ix\" ON {qualified} (id);");
    }

    [Fact]
    public void RunKeys_EachChange_IsGuardedByTheCatalog()
    {
        // Idempotent: each table's block runs only while its primary key does not lead with run_id.
        Regex.Matches(RunKeys, @"IF NOT EXISTS \(").Should().HaveCount(4);
        RunKeys.Should().Contain("'\"app\".\"re_stories\"'::regclass").And.Contain("'\"app\".\"re_cards\"'::regclass").And.Contain("'\"app\".\"re_run_log\"'::regclass");
    }

    [Fact]
    public void Distribute_Stories_ByRunIdWithoutColocation()
    {
        DistributedTables().Should().ContainSingle(c => c.Table == "\"app\".\"re_stories\"")
            .Which.Should().Be(("\"app\".\"re_stories\"", "run_id", (string?)null));
    }

    [Theory]
    [InlineData("\"app\".\"re_cards\"")]
    [InlineData("\"app\".\"re_run_log\"")]
    public void Distribute_CardsAndRunLog_ByRunIdColocatedWithStories(string table)
    {
        DistributedTables().Should().ContainSingle(c => c.Table == table)
            .Which.Should().Be((table, "run_id", (string?)"\"app\".\"re_stories\""));
    }

    [Fact]
    public void Distribute_StoriesFirst_ThenTheTablesColocatedWithIt()
    {
        DistributedTables().Select(c => c.Table).Should().Equal("\"app\".\"re_stories\"", "\"app\".\"re_cards\"", "\"app\".\"re_run_log\"");
    }

    [Fact]
    public void Distribute_SchemaVersionTable_IsNeverDistributedOrNamed()
    {
        Distribute.Should().NotContain(Tables.SchemaVersion).And.NotContain("schema_version");
        RunKeys.Should().NotContain("schema_version");
        Distribute.Should().NotContain("create_reference_table").And.NotContain("citus_add_local_table_to_metadata");
    }

    [Fact]
    public void Distribute_AlreadyDistributedTables_AreRecognisedFromPgDistPartition()
    {
        Regex.Matches(Distribute, @"IF NOT EXISTS \(SELECT 1 FROM pg_catalog\.pg_dist_partition WHERE logicalrelid = '[^']+'::regclass\) THEN\s+PERFORM create_distributed_table")
            .Should().HaveCount(3);
        Distribute.Should().Contain("column_to_column_name(p.logicalrelid, p.partkey) IS DISTINCT FROM 'run_id'", "a table distributed otherwise is an error, not left as it is");
    }

    [Fact]
    public void LayoutScripts_AllPlaceholdersExpanded()
    {
        RunKeys.Should().NotContain("$(");
        Distribute.Should().NotContain("$(");
    }

    [Fact]
    public void SchemaDefinition_None_HasNoLayoutScripts()
    {
        new PostgreSqlSchemaDefinition(Tables).LayoutScripts.Should().BeEmpty("a single-server schema keeps its (id) keys");
    }

    [Fact]
    public void SchemaDefinition_Citus_RunKeysThenDistribute()
    {
        new PostgreSqlSchemaDefinition(Tables, PostgreSqlDistribution.Citus).LayoutScripts
            .Should().Equal(DistributionScripts.RunKeys, DistributionScripts.Distribute);
    }

    [Fact]
    public void SchemaDefinition_CitusWithoutExtension_RunKeysOnly()
    {
        new PostgreSqlSchemaDefinition(Tables, PostgreSqlDistribution.Citus, withoutCitus: true).LayoutScripts
            .Should().Equal(DistributionScripts.RunKeys);
    }

    [Fact]
    public void SchemaDefinition_VersionedScripts_AreNotConfusedWithTheLayoutScripts()
    {
        var scripts = new PostgreSqlSchemaDefinition(Tables, PostgreSqlDistribution.Citus).Scripts;

        scripts.Select(s => s.Version).Should().Equal(0, 1, 2, 3, 4);
        scripts.Should().NotContain(s => s.Text.Contains("create_distributed_table", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_UndefinedDistribution_IsAnArgumentErrorNamingIt()
    {
        var act = () => PostgreSqlDatabase.Create("Host=localhost", new PostgreSqlOptions { Distribution = (PostgreSqlDistribution)7 });

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(nameof(PostgreSqlOptions.Distribution));
    }

    private static List<(string Table, string Column, string? ColocateWith)> DistributedTables() =>
        CreateDistributedTable().Matches(Distribute)
            .Select(m => (m.Groups["table"].Value, m.Groups["column"].Value, m.Groups["with"].Success ? m.Groups["with"].Value : null))
            .ToList();

    [GeneratedRegex(@"ADD CONSTRAINT ""(?<name>[^""]+)"" PRIMARY KEY \((?<columns>[^)]*)\)")]
    private static partial Regex PrimaryKeys();

    [GeneratedRegex(@"\bUNIQUE \((?<columns>[^)]*)\)")]
    private static partial Regex UniqueKeys();

    [GeneratedRegex(@"create_distributed_table\('(?<table>[^']+)', '(?<column>[^']+)'(?:, colocate_with => '(?<with>[^']+)')?\)")]
    private static partial Regex CreateDistributedTable();
}
