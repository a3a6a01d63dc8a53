using Npgsql;
using RunEngine.Data.PostgreSql;
using RunEngine.Data.Tests.Infrastructure;

namespace RunEngine.Data.Tests.PostgreSql;

/// <summary>
/// The PostgreSQL statements that always know their run name run_id for every row of stories, cards and the run log
/// they read or change (<see cref="RunScopedSql"/>), in both layouts: on a database distributed by run each goes to one
/// shard. No server needed.
/// </summary>
public sealed class RunScopedStatementTests
{
    private static readonly string[] OptionSetNames = ["default", "custom schema and prefix", "no prefix", "host clock", "citus"];

    public static TheoryData<string> OptionSets => new(OptionSetNames);

    /// <summary>The statements that name their run always, whatever the caller passed (the run is known to the library).</summary>
    public static TheoryData<string> AlwaysScoped => new()
    {
        // Reads and deletes by run.
        "Stories.SelectByRun", "Cards.SelectByRun", "RunLog.SelectByRun",
        "Stories.DeleteByRun", "Cards.DeleteByRun", "RunLog.DeleteByRun",
        "DatabaseProvider.CardsByRun", "Runs.Progress",

        // The run-scoped reads (the caller passed the run).
        "Stories.SelectByRunAndId", "Cards.SelectByRunAndId", "RunLog.SelectByRunAndId", "Stories.SelectByRunAndIds",
        "DatabaseProvider.CardsByRunAndStory",

        // The claim (its pick and its outer UPDATE, with and without its log entries) and the lease transitions of a
        // StoryClaim, which carries its story's run: single, as one statement with the log entry, and in batches.
        "DatabaseProvider.ClaimStories", "DatabaseProvider.ClaimStoriesLogged",
        "Runs.RenewLease", "Runs.FinishClaim", "SingleRow.RenewLease", "SingleRow.FinishClaim",
        "LeaseBatch.RenewText", "LeaseBatch.FinishText",

        // The look-ups that explain a lost lease, and a repeat's look for its own log entries where the run is known.
        "Runs.InspectClaim", "Runs.InspectClaims", "Runs.FindRunEvents",

        // The id look-up that explains a rejected batch where ids are unique per run (distributed by run).
        "Stories.SelectExistingIdsOfRun", "Cards.SelectExistingIdsOfRun", "RunLog.SelectExistingIdsOfRun",
    };

    [Theory]
    [InlineData("default", false)]
    [InlineData("citus", true)]
    public void IdsUniquePerRun_OnlyWhenDistributed(string optionSet, bool expected)
    {
        // Distributed, the primary keys are (run_id, id): the look-ups that explain a rejected id search the row's run.
        CreateProvider(optionSet).IdsUniquePerRun.Should().Be(expected);
    }

    [Fact]
    public void AllStatementTexts_CardsByRun_JoinsOnRunAndStory()
    {
        // Citus rejects a join of cards and stories on the story id alone ("requires repartitioning").
        var text = CreateProvider("citus").AllStatementTexts().Single(t => t.Name == "DatabaseProvider.CardsByRun").Sql;

        text.Should().Contain("ON s.\"run_id\" = c.\"run_id\" AND s.\"id\" = c.\"story_id\"");
    }

    [Fact]
    public void AllStatementTexts_IdOnlyForms_AreNotRunScoped()
    {
        // Guards the check: the id-only forms, which the library keeps, are reported (they touch every shard).
        var provider = CreateProvider("default");
        var texts = provider.AllStatementTexts().ToDictionary(t => t.Name, t => t.Sql);

        foreach (var name in new[] { "Stories.SelectById", "Cards.SelectById", "Runs.FindEvents", "DatabaseProvider.CardsByStory" })
        {
            Unscoped(provider, texts[name]).Should().NotBeEmpty(name);
        }
    }

    [Theory]
    [MemberData(nameof(AlwaysScoped))]
    public void AllStatementTexts_AlwaysScoped_NameRunIdInEveryClause(string name)
    {
        foreach (var optionSet in OptionSetNames)
        {
            var provider = CreateProvider(optionSet);
            var text = provider.AllStatementTexts().Single(t => t.Name == name).Sql;

            Unscoped(provider, text).Should().BeEmpty($"{name} ({optionSet}) must name run_id for every table it reads or changes:\n{text}");
        }
    }

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void AllStatementTexts_Names_AreUniqueAndCoverEveryKind(string optionSet)
    {
        var names = CreateProvider(optionSet).AllStatementTexts().Select(t => t.Name).ToList();

        names.Should().OnlyHaveUniqueItems();
        names.Should().Contain(
        [
            "script 000", "script 001", "script 002", "script 003", "script 004",
            "DatabaseProvider.ClaimStories", "DatabaseProvider.ClaimStoriesLogged", "DatabaseProvider.CardsByStory", "DatabaseProvider.CardsByRun",
            "Stories.SelectById", "Stories.SelectByRun", "Stories.UpdateStatus", "Cards.SelectById", "RunLog.SelectByRun",
            "Runs.InsertEvent", "Runs.FindEvents", "Runs.RenewLease", "Runs.FinishClaim", "Runs.InspectClaim", "Runs.InspectClaims", "Runs.Progress",
            "SingleRow.StoryStatus", "SingleRow.CardStatus", "SingleRow.RenewLease", "SingleRow.FinishClaim",
            "LeaseBatch.RenewText", "LeaseBatch.FinishText",
            "SchemaMigrator.CurrentVersionSql", "SchemaMigrator.RecordVersionSql", "SchemaPrecondition 003", "PostgreSqlSchemaDefinition.LockSql",
            "KeyLookup.ByKey stories", "KeyLookup.ByKey cards", "KeyLookup.RunsOfParents",
            "Story COPY", "Story COPY into staging", "Story staging.Create", "Story staging.InsertMissing", "Story staging.Drop", "RunEvent staging.InsertMissing",
            "Story status staging.LockAndRead", "Card status staging.Apply", "StatusByParent stories", "StatusByParent cards", "StatusByParent CountLogged",
        ]);
        names.Should().NotContain(n => n.EndsWith(".Table", StringComparison.Ordinal) || n.EndsWith(".ColumnList", StringComparison.Ordinal) || n.EndsWith(".StageTable", StringComparison.Ordinal));
    }

    [Fact]
    public void AllStatementTexts_RunStatements_EveryStringPropertyIsCovered()
    {
        var names = CreateProvider("default").AllStatementTexts().Select(t => t.Name).ToHashSet();
        var properties = typeof(RunEngine.Data.Providers.RunStatements).GetProperties().Where(p => p.PropertyType == typeof(string));

        properties.Select(p => "Runs." + p.Name).Should().OnlyContain(n => names.Contains(n)).And.HaveCountGreaterThanOrEqualTo(9);
    }

    // The check itself: what it accepts and what it rejects.
    [Theory]
    [InlineData("SELECT \"id\" FROM \"public\".\"re_stories\" WHERE \"run_id\" = @RunId AND \"id\" = @Id")]
    [InlineData("DELETE FROM \"public\".\"re_cards\" WHERE \"run_id\" = @RunId")]
    [InlineData("SELECT c.\"id\" FROM \"public\".\"re_cards\" c INNER JOIN \"public\".\"re_stories\" s ON s.\"run_id\" = c.\"run_id\" AND s.\"id\" = c.\"story_id\" WHERE c.\"run_id\" = @RunId")]
    [InlineData("UPDATE \"public\".\"re_stories\" AS s SET \"version\" = s.\"version\" + 1 FROM (SELECT \"id\" FROM \"public\".\"re_stories\" WHERE \"run_id\" = @RunId FOR UPDATE SKIP LOCKED) AS c WHERE s.\"run_id\" = @RunId AND s.\"id\" = c.\"id\"")]
    [InlineData("SELECT 0, COUNT(*) FROM \"public\".\"re_stories\" WHERE \"run_id\" = @RunId UNION ALL SELECT 1, COUNT(*) FROM \"public\".\"re_cards\" WHERE \"run_id\" = @RunId")]
    [InlineData("INSERT INTO \"public\".\"re_run_log\" (\"id\", \"run_id\") VALUES (@EventId, @RunId)")]
    [InlineData("WITH changed AS (UPDATE \"public\".\"re_stories\" SET \"status\" = @Status WHERE \"run_id\" = @RunId AND \"id\" = @Id RETURNING *) INSERT INTO \"public\".\"re_run_log\" (\"id\") SELECT @EventId FROM changed")]
    [InlineData("SELECT \"id\" FROM \"public\".\"re_run_log\" WHERE \"run_id\" = ANY(@RunIds) AND \"id\" = ANY(@EventIds)")]
    [InlineData("SELECT [id] FROM [dbo].[re_stories] WITH (UPDLOCK) WHERE [run_id] IN (@RunId1) AND [id] = @Id")]
    public void UnscopedReferences_ScopedStatement_IsEmpty(string sql)
    {
        RunScopedSql.UnscopedReferences(sql, Tables).Should().BeEmpty();
    }

    [Theory]
    [InlineData("SELECT \"id\" FROM \"public\".\"re_stories\" WHERE \"id\" = @Id", "public.re_stories")]
    [InlineData("SELECT \"run_id\" FROM \"public\".\"re_stories\" WHERE \"id\" = @Id", "public.re_stories")]
    [InlineData("SELECT c.\"id\" FROM \"public\".\"re_cards\" c INNER JOIN \"public\".\"re_stories\" s ON s.\"id\" = c.\"story_id\" WHERE c.\"run_id\" = @RunId", "public.re_stories AS s")]
    [InlineData("UPDATE \"public\".\"re_stories\" AS s SET \"version\" = 1 FROM (SELECT \"id\" FROM \"public\".\"re_stories\" WHERE \"run_id\" = @RunId) AS c WHERE s.\"id\" = c.\"id\"", "public.re_stories AS s")]
    [InlineData("UPDATE \"public\".\"re_stories\" AS s SET \"version\" = 1 FROM (SELECT \"id\", \"run_id\" FROM \"public\".\"re_stories\" WHERE \"id\" = @Id) AS c WHERE s.\"run_id\" = c.\"run_id\"", "public.re_stories in: SELECT id, run_id")]
    [InlineData("SELECT 0 FROM \"public\".\"re_stories\" WHERE \"run_id\" = @RunId UNION ALL SELECT 1 FROM \"public\".\"re_cards\" WHERE \"id\" = @Id", "public.re_cards")]
    [InlineData("INSERT INTO \"public\".\"re_run_log\" (\"id\", \"run_id\") SELECT @EventId, \"run_id\" FROM \"public\".\"re_cards\" WHERE \"id\" = @Id", "public.re_cards")]
    [InlineData("UPDATE \"public\".\"re_stories\" AS s SET \"run_id\" = @RunId WHERE s.\"id\" = @Id", "public.re_stories AS s")]
    [InlineData("SELECT \"id\" FROM \"public\".\"re_stories\" WHERE \"id\" = @Id -- AND \"run_id\" = @RunId", "public.re_stories")]
    [InlineData("SELECT \"id\" FROM \"public\".\"re_stories\" WHERE \"title\" = 'run_id = 1' AND \"id\" = @Id", "public.re_stories")]
    public void UnscopedReferences_UnscopedReference_IsNamed(string sql, string expected)
    {
        RunScopedSql.UnscopedReferences(sql, Tables).Should().ContainSingle().Which.Should().StartWith(expected);
    }

    internal static IReadOnlyList<string> Unscoped(PostgreSqlProvider provider, string sql) =>
        RunScopedSql.UnscopedReferences(sql, [provider.Tables.Stories, provider.Tables.Cards, provider.Tables.RunLog]);

    internal static PostgreSqlProvider CreateProvider(string optionSet) => new(
        optionSet switch
        {
            "default" => new PostgreSqlOptions(),
            "custom schema and prefix" => new PostgreSqlOptions { Schema = "Run_Engine", TablePrefix = "app_" },
            "no prefix" => new PostgreSqlOptions { Schema = "data", TablePrefix = "" },
            "host clock" => new PostgreSqlOptions { LeaseClock = LeaseClock.Host },
            "citus" => new PostgreSqlOptions { Distribution = PostgreSqlDistribution.Citus },
            _ => throw new ArgumentOutOfRangeException(nameof(optionSet)),
        },
        NpgsqlDataSource.Create("Host=unused"),
        ownsDataSource: true);

    private static readonly string[] Tables = ["\"public\".\"re_stories\"", "\"public\".\"re_cards\"", "\"public\".\"re_run_log\"", "[dbo].[re_stories]"];
}
