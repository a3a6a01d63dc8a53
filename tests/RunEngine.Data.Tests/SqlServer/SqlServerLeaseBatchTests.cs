using System.Text.RegularExpressions;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace RunEngine.Data.Tests.SqlServer;

/// <summary>The T-SQL of the batch lease transitions: parsed, covered by the parser test, within SQL Server's parameter limit.</summary>
public sealed class SqlServerLeaseBatchTests
{
    [Theory]
    [InlineData("default")]
    [InlineData("host clock")]
    public void AllStatementTexts_LeaseBatch_ListedAtEverySizeAndParses(string optionSet)
    {
        var texts = SqlServerScriptDomTests.CreateProvider(optionSet).AllStatementTexts().Where(t => t.Name.StartsWith("LeaseBatch", StringComparison.Ordinal)).ToList();

        texts.Select(t => t.Name).Should().BeEquivalentTo(
            "LeaseBatch renew of 1", "LeaseBatch finish of 1", "LeaseBatch renew of 2", "LeaseBatch finish of 2", "LeaseBatch renew of 400", "LeaseBatch finish of 400");
        foreach (var (name, sql) in texts)
        {
            new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
            errors.Should().BeEmpty(name);
        }
    }

    [Fact]
    public void Text_LargestChunk_StaysUnderTheParameterLimitAndLocksInIdOrder()
    {
        var sql = SqlServerScriptDomTests.CreateProvider("host clock").SqlServerLeaseBatch.Text(RunEngine.Data.SqlServer.SqlServerLeaseBatch.MaxRowsPerCommand, renew: true);

        // Each distinct @Name is one parameter: the claims' five, @InProgress, @Now and @Expires.
        Regex.Matches(sql, @"@\w+").Select(m => m.Value).Distinct().Count().Should().BeLessThan(2_100);
        sql.Should().Contain("WITH (UPDLOCK, ROWLOCK) WHERE s.[run_id] IN (@R0, @R1").And.Contain("AND s.[id] IN (@I0, @I1").And.Contain("ORDER BY s.[id];");
    }
}
