using RunEngine.Data.Tests.Infrastructure;

namespace RunEngine.Data.Tests.SqlServer;

/// <summary>
/// The T-SQL statements that always know their run name run_id for every row of stories, cards and the run log they
/// read or change (<see cref="RunScopedSql"/>), as on PostgreSQL: the same provider-neutral texts, and SQL Server's own
/// claim and batch lease transitions. Every one is also parsed by <see cref="SqlServerScriptDomTests"/>.
/// </summary>
public sealed class SqlServerRunScopedStatementTests
{
    public static TheoryData<string> AlwaysScoped => new()
    {
        "Stories.SelectByRun", "Cards.SelectByRun", "RunLog.SelectByRun", "Stories.DeleteByRun", "Cards.DeleteByRun", "RunLog.DeleteByRun",
        "DatabaseProvider.CardsByRun", "Runs.Progress",
        "Stories.SelectByRunAndId", "Cards.SelectByRunAndId", "Stories.SelectByRunAndIds", "DatabaseProvider.CardsByRunAndStory",
        "DatabaseProvider.ClaimStories", "Runs.RenewLease", "Runs.FinishClaim", "SingleRow.RenewLease", "SingleRow.FinishClaim",
        "LeaseBatch renew of 1", "LeaseBatch finish of 1", "LeaseBatch renew of 2", "LeaseBatch finish of 400",
        "Runs.InspectClaim", "Runs.InspectClaims", "Runs.FindRunEvents",
    };

    [Theory]
    [MemberData(nameof(AlwaysScoped))]
    public void AllStatementTexts_AlwaysScoped_NameRunIdInEveryClause(string name)
    {
        foreach (var optionSet in new[] { "default", "custom schema and prefix", "host clock" })
        {
            var provider = SqlServerScriptDomTests.CreateProvider(optionSet);
            var text = provider.AllStatementTexts().Single(t => t.Name == name).Sql;

            RunScopedSql.UnscopedReferences(text, [provider.Tables.Stories, provider.Tables.Cards, provider.Tables.RunLog])
                .Should().BeEmpty($"{name} ({optionSet}) must name run_id for every table it reads or changes:\n{text}");
        }
    }
}
