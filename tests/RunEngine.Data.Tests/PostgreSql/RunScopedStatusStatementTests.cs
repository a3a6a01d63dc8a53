using RunEngine.Data.Tests.Infrastructure;

namespace RunEngine.Data.Tests.PostgreSql;

/// <summary>
/// The PostgreSQL statements of the run-scoped status changes (<c>UpdateStatusAsync(runId, …)</c>,
/// <c>UpdateStatusesAsync(runId, …)</c>, <c>UpdateStatusByStoryAsync(runId, …)</c>) and of the change of stories by run
/// name run_id for every row of stories, cards and the run log they read or change (<see cref="RunScopedSql"/>), in
/// both layouts; the id-only forms keep their texts (they do not name the run). No server needed.
/// </summary>
public sealed class RunScopedStatusStatementTests
{
    private static readonly string[] OptionSetNames = ["default", "custom schema and prefix", "no prefix", "host clock", "citus"];

    /// <summary>Every statement a run-scoped status change can send, and those of the change of stories by run.</summary>
    public static TheoryData<string> RunScoped => new()
    {
        // Single row: the UPDATE, its log entry (two-statement form), the one-statement CTE, the version look-up.
        "RunScopedStatus.StoryUpdateStatus", "RunScopedStatus.CardUpdateStatus", "RunScopedStatus.StoryStatusEvent", "RunScopedStatus.CardStatusEvent",
        "RunScopedStatus.StoryStatusOneStatement", "RunScopedStatus.CardStatusOneStatement",
        "RunScopedStatus.StorySelectVersion", "RunScopedStatus.CardSelectVersion",
        // A repeat after an unknown commit: its own entries, and the versions of the changes it did not apply.
        "RunScopedStatus.StorySelectVersions", "RunScopedStatus.CardSelectVersions",
        // Set-based: the lock step's join and the update with its log entries.
        "Story status staging in run.LockAndRead", "Story status staging in run.Apply", "Card status staging in run.LockAndRead", "Card status staging in run.Apply",
        // By parent: cards of stories in a run, stories of runs, and the repeats' counts of their entries.
        "StatusByParent cards in run", "StatusByParent CountLogged cards in run", "StatusByParent stories", "StatusByParent CountLogged stories",
    };

    /// <summary>The id-only forms' statements: their texts do not change (a single server's plans stay as they are).</summary>
    public static TheoryData<string> IdOnly => new()
    {
        "Stories.UpdateStatus", "Cards.UpdateStatus", "Runs.StoryStatusEvent", "Runs.CardStatusEvent", "SingleRow.StoryStatus", "SingleRow.CardStatus",
        "Stories.SelectVersion", "Cards.SelectVersion", "Runs.FindEvents", "Stories.SelectVersions", "Cards.SelectVersions",
        "Story status staging.LockAndRead", "Story status staging.Apply", "Card status staging.LockAndRead", "Card status staging.Apply",
        "StatusByParent cards", "StatusByParent CountLogged",
    };

    [Theory]
    [MemberData(nameof(RunScoped))]
    public void AllStatementTexts_RunScopedStatus_NameRunIdInEveryClause(string name)
    {
        foreach (var optionSet in OptionSetNames)
        {
            var provider = RunScopedStatementTests.CreateProvider(optionSet);
            var text = provider.AllStatementTexts().Single(t => t.Name == name).Sql;

            RunScopedStatementTests.Unscoped(provider, text).Should().BeEmpty($"{name} ({optionSet}) must name run_id for every table it reads or changes:\n{text}");
        }
    }

    [Theory]
    [MemberData(nameof(IdOnly))]
    public void AllStatementTexts_IdOnlyStatus_KeepTheirTextsWithoutTheRun(string name)
    {
        var text = RunScopedStatementTests.CreateProvider("default").AllStatementTexts().Single(t => t.Name == name).Sql;

        text.Should().NotContain("@RunId", $"{name} is an id-only form");
    }

    [Fact]
    public void AllStatementTexts_RunScopedSingleRow_IsTheIdOnlyTextWithTheRunAddedToItsCondition()
    {
        var texts = RunScopedStatementTests.CreateProvider("default").AllStatementTexts().ToDictionary(t => t.Name, t => t.Sql);
        const string IdOnly = "WHERE \"id\" = @Id AND \"version\" = @ExpectedVersion";
        const string InRun = "WHERE \"run_id\" = @RunId AND \"id\" = @Id AND \"version\" = @ExpectedVersion";

        texts["RunScopedStatus.StoryUpdateStatus"].Should().Be(texts["Stories.UpdateStatus"].Replace(IdOnly, InRun, StringComparison.Ordinal));
        texts["RunScopedStatus.CardStatusOneStatement"].Should().Be(texts["SingleRow.CardStatus"].Replace(IdOnly, InRun, StringComparison.Ordinal));
        texts["RunScopedStatus.StoryStatusOneStatement"].Should().Be(texts["SingleRow.StoryStatus"].Replace(IdOnly, InRun, StringComparison.Ordinal));
    }

    [Fact]
    public void AllStatementTexts_CardsByStoryInRun_FindsTheCardsOnTheirNaturalKeyWithoutReadingTheStories()
    {
        var texts = RunScopedStatementTests.CreateProvider("default").AllStatementTexts().ToDictionary(t => t.Name, t => t.Sql);

        texts["StatusByParent cards in run"].Should().NotContain("re_stories");
        texts["StatusByParent cards in run"].Should().Contain("t.\"run_id\" = @RunId AND t.\"story_id\" = ANY(@ParentIds)");
        texts["StatusByParent cards"].Should().Contain("re_stories", "the id-only form reads the stories' runs");
    }
}
