namespace RunEngine.Data.Tests.PostgreSql;

/// <summary>
/// Citus takes row locks (<c>FOR UPDATE</c>) in single-shard statements only, so in the distributed mode every locking
/// text the PostgreSQL provider can send names one run (<c>run_id = @RunId</c>) and none filters runs by <c>ANY(…)</c>;
/// the id-only forms send the run-scoped texts there (once per run). On one server the texts stay as they were. No
/// server needed.
/// </summary>
public sealed class DistributedLockStatementTests
{
    private const string OneRun = "\"run_id\" = @RunId";
    private const string AnyRun = "\"run_id\" = ANY(";

    [Fact]
    public void AllStatementTexts_Distributed_EveryLockingTextNamesOneRun()
    {
        var locking = LockingTexts("citus");

        locking.Should().NotBeEmpty();
        locking.Should().Contain(t => t.Name == "LeaseBatch.RenewText").And.Contain(t => t.Name == "StatusByParent cards").And.Contain(t => t.Name == "Story status staging.LockAndRead");
        foreach (var (name, sql) in locking)
        {
            sql.Should().Contain(OneRun, $"{name} locks rows, which Citus does in single-shard statements only:\n{sql}");
            sql.Should().NotContain(AnyRun, $"{name} must not lock the rows of several runs:\n{sql}");
        }
    }

    [Fact]
    public void AllStatementTexts_OneServer_LeaseBatchAndStoriesByRunKeepTheirRunLists()
    {
        // Guards the check above: on one server these lock the rows of all their runs in one statement, as before.
        var locking = LockingTexts("default").ToDictionary(t => t.Name, t => t.Sql);

        locking["LeaseBatch.RenewText"].Should().Contain("\"run_id\" = ANY(@RunIds)");
        locking["LeaseBatch.FinishText"].Should().Contain("\"run_id\" = ANY(@RunIds)");
        locking["StatusByParent stories"].Should().Contain("\"run_id\" = ANY(@ParentIds)");
        locking["Story status staging.LockAndRead"].Should().NotContain("run_id");
    }

    [Fact]
    public void AllStatementTexts_Distributed_IdOnlyFormsSendTheRunScopedTexts()
    {
        var texts = RunScopedStatementTests.CreateProvider("citus").AllStatementTexts().ToDictionary(t => t.Name, t => t.Sql);

        foreach (var entity in new[] { "Story", "Card" })
        {
            foreach (var statement in new[] { "LockAndRead", "Unmatched", "Apply" })
            {
                texts[$"{entity} status staging.{statement}"].Should().Be(texts[$"{entity} status staging in run.{statement}"]);
            }

            texts[$"{entity} status staging.StagedRuns"].Should().NotContain("FOR UPDATE", "the look-up of the runs takes no locks");
        }

        texts["StatusByParent cards"].Should().Be(texts["StatusByParent cards in run"]);
        texts["StatusByParent RunsOfStories"].Should().NotContain("FOR UPDATE");
        texts["StatusByParent cards"].Should().Contain("+ @EventOffset", "each run's entries are numbered on from the earlier runs'");
    }

    [Fact]
    public void AllStatementTexts_OneServer_ByParentTextsUnchanged()
    {
        var texts = RunScopedStatementTests.CreateProvider("default").AllStatementTexts().ToDictionary(t => t.Name, t => t.Sql);

        texts.Keys.Should().NotContain("StatusByParent RunsOfStories");
        texts["StatusByParent cards"].Should().NotContain("@EventOffset").And.NotContain("@RunId");
        texts["StatusByParent cards in run"].Should().NotContain("@EventOffset");
        texts["StatusByParent stories"].Should().NotContain("@EventOffset");
    }

    private static List<(string Name, string Sql)> LockingTexts(string optionSet) =>
        [.. RunScopedStatementTests.CreateProvider(optionSet).AllStatementTexts().Where(t => t.Sql.Contains("FOR UPDATE", StringComparison.Ordinal))];
}
