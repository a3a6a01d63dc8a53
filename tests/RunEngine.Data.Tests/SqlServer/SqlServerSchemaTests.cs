using RunEngine.Data.SqlServer;

namespace RunEngine.Data.Tests.SqlServer;

public sealed class SqlServerSchemaTests
{
    [Fact]
    public void SplitBatches_GoLines_SplitsAndDropsEmptyBatches()
    {
        var schema = (SqlServerSchema)SqlServerScriptDomTests.CreateProvider("default").Schema;

        var batches = schema.SplitBatches("SELECT 1;\nGO\r\nSELECT 2;\r\n  go  \n\nGO\n-- only a comment? no: kept\nSELECT 3;").ToList();

        batches.Should().Equal("SELECT 1;", "SELECT 2;", "-- only a comment? no: kept\nSELECT 3;");
    }

    [Fact]
    public void SplitBatches_GoInsideALine_IsNotASeparator()
    {
        var schema = (SqlServerSchema)SqlServerScriptDomTests.CreateProvider("default").Schema;

        var batches = schema.SplitBatches("GOTO done;\nSELECT 'GO';\ndone:\nGO").ToList();

        batches.Should().ContainSingle().Which.Should().Be("GOTO done;\nSELECT 'GO';\ndone:");
    }

    [Fact]
    public void SplitBatches_ShippedScripts_GiveOneBatchPerStatementGroup()
    {
        var provider = SqlServerScriptDomTests.CreateProvider("default");

        provider.Schema.SplitBatches(provider.Tables.Expand(provider.Schema.Scripts[0].Text)).Should().HaveCount(2);
        provider.Schema.SplitBatches(provider.Tables.Expand(provider.Schema.Scripts[1].Text)).Should().HaveCount(3);
    }

    [Theory]
    [InlineData("default", "RunEngine.Data:dbo.re_")]
    [InlineData("custom schema and prefix", "RunEngine.Data:Run_Engine.app_")]
    [InlineData("no prefix", "RunEngine.Data:data.")]
    public void LockResource_Options_DerivedFromSchemaAndPrefix(string optionSet, string expected)
    {
        var schema = (SqlServerSchema)SqlServerScriptDomTests.CreateProvider(optionSet).Schema;

        schema.LockResource.Should().Be(expected);
        schema.LockResource.Length.Should().BeLessThanOrEqualTo(255, "sp_getapplock resources are nvarchar(255)");
    }

    [Fact]
    public void LockSql_Text_TakesAnExclusiveTransactionLockAndReturnsTheCode()
    {
        SqlServerSchema.LockSql.Should().Contain("sp_getapplock")
            .And.Contain("@LockMode = N'Exclusive'")
            .And.Contain("@LockOwner = N'Transaction'")
            .And.Contain("@LockTimeout = @LockTimeout")
            .And.Contain("SELECT @result");
    }
}
