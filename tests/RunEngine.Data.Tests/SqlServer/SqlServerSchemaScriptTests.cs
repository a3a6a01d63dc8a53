using Microsoft.SqlServer.TransactSql.ScriptDom;
using RunEngine.Data.Mapping;
using RunEngine.Data.SqlServer;

namespace RunEngine.Data.Tests.SqlServer;

/// <summary>The shipped DDL and the table maps cannot disagree: both are parsed and compared here.</summary>
public sealed class SqlServerSchemaScriptTests
{
    [Fact]
    public void AllScripts_Stories_FinalColumnsAreTheMapColumnsInOrderWithTypesAndNullability()
    {
        // 001 creates the table, 002 adds the claim columns after the others: the result must read like the map.
        AssertMatchesMap(FinalColumns()["re_stories"], RunEngineTables.Stories.Columns.Select(Describe));
    }

    [Fact]
    public void AllScripts_Cards_FinalColumnsAreTheMapColumnsInOrderWithTypesAndNullability()
    {
        AssertMatchesMap(FinalColumns()["re_cards"], RunEngineTables.Cards.Columns.Select(Describe));
    }

    [Fact]
    public void AllScripts_RunLog_FinalColumnsAreTheMapColumnsInOrderWithTypesAndNullability()
    {
        AssertMatchesMap(FinalColumns()["re_run_log"], RunEngineTables.RunLog.Columns.Select(Describe));
    }

    [Fact]
    public void AllScripts_EveryTable_HasOnlyMappedColumnsBesidesSeq()
    {
        FinalColumns().Keys.Should().BeEquivalentTo("re_stories", "re_cards", "re_run_log");
    }

    [Theory]
    [InlineData("re_stories")]
    [InlineData("re_cards")]
    [InlineData("re_run_log")]
    public void Scripts_EachTable_ClustersOnIdentitySeqWithNonclusteredPrimaryKeyOnId(string name)
    {
        var table = CreateTables()[name];
        var seq = table.Definition.ColumnDefinitions[^1];
        var constraints = table.Definition.TableConstraints.OfType<UniqueConstraintDefinition>().ToList();

        seq.ColumnIdentifier.Value.Should().Be("seq");
        ((SqlDataTypeReference)seq.DataType).SqlDataTypeOption.Should().Be(SqlDataTypeOption.BigInt);
        seq.IdentityOptions.Should().NotBeNull();
        var primaryKey = constraints.Single(c => c.IsPrimaryKey);
        primaryKey.Clustered.Should().BeFalse();
        ColumnsOf(primaryKey).Should().Equal("id");
        var clustered = constraints.Single(c => c.Clustered == true);
        clustered.IsPrimaryKey.Should().BeFalse();
        ColumnsOf(clustered).Should().Equal("seq");
    }

    [Fact]
    public void InitialScript_Constraints_UniquePositionsForeignKeyAndRunIndex()
    {
        var tables = CreateTables();
        var stories = tables["re_stories"].Definition.TableConstraints;
        var cards = tables["re_cards"].Definition.TableConstraints;

        stories.OfType<UniqueConstraintDefinition>().Where(c => !c.IsPrimaryKey && c.Clustered != true).Select(ColumnsOf)
            .Should().ContainSingle().Which.Should().Equal("run_id", "position");
        cards.OfType<UniqueConstraintDefinition>().Where(c => !c.IsPrimaryKey && c.Clustered != true).Select(ColumnsOf)
            .Should().ContainSingle().Which.Should().Equal("story_id", "position");
        var foreignKey = cards.OfType<ForeignKeyConstraintDefinition>().Single();
        foreignKey.Columns.Select(c => c.Value).Should().Equal("story_id");
        foreignKey.ReferenceTableName.BaseIdentifier.Value.Should().Be("re_stories");
        foreignKey.ReferencedTableColumns.Select(c => c.Value).Should().Equal("id");
        foreignKey.DeleteAction.Should().Be(DeleteUpdateAction.NotSpecified);

        var index = Statements(1).OfType<CreateIndexStatement>().Single();
        index.OnName.BaseIdentifier.Value.Should().Be("re_cards");
        index.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value).Should().Equal("run_id");
    }

    [Fact]
    public void Bootstrap_VersionTable_HasTheColumnsTheMigratorWrites()
    {
        var table = Statements(0).OfType<IfStatement>()
            .Select(s => s.ThenStatement).OfType<CreateTableStatement>().Single();

        table.SchemaObjectName.BaseIdentifier.Value.Should().Be("re_schema_version");
        table.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value).Should().Equal("version", "description", "applied_at");
        table.Definition.ColumnDefinitions.Select(c => ((SqlDataTypeReference)c.DataType).SqlDataTypeOption)
            .Should().Equal(SqlDataTypeOption.Int, SqlDataTypeOption.NVarChar, SqlDataTypeOption.DateTimeOffset);
    }

    [Fact]
    public void Bootstrap_Schema_CreatedOnlyWhenMissing()
    {
        var provider = SqlServerScriptDomTests.CreateProvider("custom schema and prefix");
        var bootstrap = provider.Tables.Expand(provider.Schema.Scripts[0].Text);

        bootstrap.Should().Contain("IF SCHEMA_ID(N'Run_Engine') IS NULL");
        bootstrap.Should().Contain("EXEC(N'CREATE SCHEMA [Run_Engine]')");
        bootstrap.Should().Contain("IF OBJECT_ID(N'[Run_Engine].[app_schema_version]', N'U') IS NULL");
    }

    [Fact]
    public void Scripts_Versions_StartAtTheBootstrapAndIncrease()
    {
        var scripts = SqlServerScriptDomTests.CreateProvider("default").Schema.Scripts;

        scripts.Select(s => s.Version).Should().Equal(0, 1, 2, 3);
        scripts.Select(s => s.Description).Should().Equal("bootstrap", "initial", "claims and run log", "cards share story run");
    }

    [Fact]
    public void ClaimsScript_Stories_IndexForClaimingOnRunStatusPosition()
    {
        var index = Statements(2).OfType<CreateIndexStatement>().Single(i => i.OnName.BaseIdentifier.Value == "re_stories");

        index.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value).Should().Equal("run_id", "status", "position");
    }

    [Fact]
    public void ClaimsScript_RunLog_IndexOnRunAndSeqAndNoForeignKey()
    {
        var log = CreateTables()["re_run_log"];
        var index = Statements(2).OfType<CreateIndexStatement>().Single(i => i.OnName.BaseIdentifier.Value == "re_run_log");

        index.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value).Should().Equal("run_id", "seq");
        log.Definition.TableConstraints.OfType<ForeignKeyConstraintDefinition>().Should().BeEmpty("log entries outlive the rows they name");
        log.Definition.ColumnDefinitions.SelectMany(c => c.Constraints).OfType<ForeignKeyConstraintDefinition>().Should().BeEmpty();
    }

    [Fact]
    public void ClaimsScript_Stories_OnlyAddsNullableColumns()
    {
        // Existing rows get NULL; a NOT NULL column without a default would fail on a table that has rows.
        // One column per ADD (T-SQL dialects other than SQL Server's reject a list), in the table map's order.
        var added = Statements(2).OfType<AlterTableAddTableElementStatement>().ToList();

        added.Should().OnlyContain(a => a.SchemaObjectName.BaseIdentifier.Value == "re_stories" && a.Definition.ColumnDefinitions.Count == 1);
        var columns = added.SelectMany(a => a.Definition.ColumnDefinitions).ToList();
        columns.Select(c => c.ColumnIdentifier.Value).Should().Equal("claimed_by", "lease_expires_at");
        columns.Should().OnlyContain(c => c.Constraints.OfType<NullableConstraintDefinition>().Single().Nullable);
    }

    private static void AssertMatchesMap(IEnumerable<ColumnDefinition> columns, IEnumerable<(string Name, SqlDataTypeOption Type, string? Length, bool Nullable)> expected)
    {
        var actual = columns
            .Where(c => c.ColumnIdentifier.Value != "seq")
            .Select(c =>
            {
                var type = (SqlDataTypeReference)c.DataType;
                var length = type.Parameters.Count == 0 ? null : type.Parameters[0] is MaxLiteral ? "max" : type.Parameters[0].Value;
                var nullable = c.Constraints.OfType<NullableConstraintDefinition>().Single().Nullable;
                return (c.ColumnIdentifier.Value, type.SqlDataTypeOption, length, nullable);
            });

        actual.Should().Equal(expected);
    }

    private static (string Name, SqlDataTypeOption Type, string? Length, bool Nullable) Describe<T>(ColumnMap<T> column)
        where T : class => column.Kind switch
        {
            ColumnKind.Guid => (column.Name, SqlDataTypeOption.UniqueIdentifier, null, column.Nullable),
            ColumnKind.Int32 => (column.Name, SqlDataTypeOption.Int, null, column.Nullable),
            ColumnKind.Int16 => (column.Name, SqlDataTypeOption.SmallInt, null, column.Nullable),
            ColumnKind.Text or ColumnKind.Json => (column.Name, SqlDataTypeOption.NVarChar, column.MaxLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "max", column.Nullable),
            ColumnKind.Timestamp => (column.Name, SqlDataTypeOption.DateTimeOffset, "7", column.Nullable),
            _ => throw new ArgumentOutOfRangeException(nameof(column)),
        };

    private static Dictionary<string, CreateTableStatement> CreateTables() =>
        Statements(1).Concat(Statements(2)).OfType<CreateTableStatement>().ToDictionary(t => t.SchemaObjectName.BaseIdentifier.Value);

    /// <summary>Each table's columns after every script, in table order: created columns, then those added by ALTER TABLE.</summary>
    private static Dictionary<string, List<ColumnDefinition>> FinalColumns()
    {
        var tables = new Dictionary<string, List<ColumnDefinition>>();
        foreach (var statement in SqlServerScriptDomTests.CreateProvider("default").Schema.Scripts.Where(s => s.Version > 0).SelectMany(s => Statements(s.Version)))
        {
            switch (statement)
            {
                case CreateTableStatement create:
                    tables.Add(create.SchemaObjectName.BaseIdentifier.Value, create.Definition.ColumnDefinitions.ToList());
                    break;
                case AlterTableAddTableElementStatement alter:
                    tables[alter.SchemaObjectName.BaseIdentifier.Value].AddRange(alter.Definition.ColumnDefinitions);
                    break;
            }
        }

        return tables;
    }

    private static List<TSqlStatement> Statements(int version)
    {
        var provider = SqlServerScriptDomTests.CreateProvider("default");
        var script = provider.Schema.Scripts.Single(s => s.Version == version);
        var (fragment, errors) = SqlServerScriptDomTests.Parse(provider.Tables.Expand(script.Text));
        errors.Should().BeEmpty();
        return fragment.Batches.SelectMany(b => b.Statements).ToList();
    }

    private static IEnumerable<string> ColumnsOf(UniqueConstraintDefinition constraint) =>
        constraint.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value);
}
