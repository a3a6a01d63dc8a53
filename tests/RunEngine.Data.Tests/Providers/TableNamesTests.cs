using RunEngine.Data.Providers;
using RunEngine.Data.SqlServer;

namespace RunEngine.Data.Tests.Providers;

public sealed class TableNamesTests
{
    [Fact]
    public void Constructor_SqlServerDefaults_QuotesAndQualifiesWithBrackets()
    {
        var names = new TableNames(new SqlServerOptions(), SqlServerDialect.Instance);

        names.Schema.Should().Be("dbo");
        names.Prefix.Should().Be("re_");
        names.QuotedSchema.Should().Be("[dbo]");
        names.Stories.Should().Be("[dbo].[re_stories]");
        names.Cards.Should().Be("[dbo].[re_cards]");
        names.SchemaVersion.Should().Be("[dbo].[re_schema_version]");
    }

    [Fact]
    public void Constructor_CustomSchemaAndEmptyPrefix_UsesThem()
    {
        var names = new TableNames(new SqlServerOptions { Schema = "runs", TablePrefix = "" }, SqlServerDialect.Instance);

        names.Stories.Should().Be("[runs].[stories]");
        names.SchemaVersion.Should().Be("[runs].[schema_version]");
    }

    [Theory]
    [InlineData("x];DROP TABLE y;--", "re_")]
    [InlineData("dbo", "x];DROP TABLE y;--")]
    public void Constructor_InjectionAttempt_ThrowsBeforeAnySqlIsBuilt(string schema, string prefix)
    {
        var create = () => new TableNames(new SqlServerOptions { Schema = schema, TablePrefix = prefix }, SqlServerDialect.Instance);

        create.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Expand_ScriptPlaceholders_ReplacedWithQuotedAndPlainNames()
    {
        var names = new TableNames(new SqlServerOptions { Schema = "s1", TablePrefix = "p_" }, SqlServerDialect.Instance);

        var expanded = names.Expand("$(Schema)|$(SchemaName)|$(Stories)|$(Cards)|$(SchemaVersion)|$(Prefix)");

        expanded.Should().Be("[s1]|s1|[s1].[p_stories]|[s1].[p_cards]|[s1].[p_schema_version]|p_");
    }

    [Theory]
    [InlineData("plain", "[plain]")]
    [InlineData("a]b", "[a]]b]")]
    [InlineData("]]", "[]]]]]")]
    public void Quote_SqlServer_BracketsAndDoublesClosingBrackets(string identifier, string expected)
    {
        SqlServerDialect.Instance.Quote(identifier).Should().Be(expected);
    }

    [Fact]
    public void Dialect_SqlServer_HasItsDefaultsAndLimit()
    {
        SqlServerDialect.Instance.DefaultSchema.Should().Be("dbo");
        SqlServerDialect.Instance.MaxParameters.Should().Be(2_100);
        SqlServerDialect.Instance.Qualify("a", "b").Should().Be("[a].[b]");
    }
}
