using Dapper;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.PostgreSql;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// The distributed layout on plain PostgreSQL (no citus extension, as in CI): Citus mode fails clearly and changes
/// nothing; the run keys alone (the internal <see cref="PostgreSqlOptions.WithoutCitusExtension"/>) re-key a
/// single-server schema with rows, keep every row, and a second migration — in either mode — changes nothing.
/// </summary>
public sealed class PostgreSqlDistributionTests(PostgreSqlFixture fixture) : IClassFixture<PostgreSqlFixture>
{
    private static readonly string[] RunThenId = ["run_id", "id"];
    private static readonly string[] IdOnly = ["id"];

    [SkippableFact]
    public async Task EnsureSchemaAsync_CitusWithoutTheExtensionOnANewSchema_ThrowsSchemaExceptionAndCreatesNothing()
    {
        fixture.SkipIfUnavailable();
        await using var db = fixture.CreateDatabase(o =>
        {
            o.Schema = "re_nocitus";
            ((PostgreSqlOptions)o).Distribution = PostgreSqlDistribution.Citus;
        });

        var act = () => db.EnsureSchemaAsync();

        var thrown = (await act.Should().ThrowAsync<SchemaException>()).Which;
        thrown.Message.Should().Contain("Distribution is Citus").And.Contain("citus extension is not installed")
            .And.Contain("\"re_nocitus\"").And.Contain("Nothing was changed").And.Contain("CREATE EXTENSION citus").And.Contain("Distribution = None")
            .And.NotContain("Password");
        await using var connection = await fixture.OpenConnectionAsync();
        (await PgLayout.SchemaExistsAsync(connection, "re_nocitus")).Should().BeFalse("the check runs before the bootstrap creates anything");
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_CitusWithoutTheExtensionOnASingleServerSchemaWithRows_LeavesItExactlyAsItWas()
    {
        fixture.SkipIfUnavailable();
        await using var single = fixture.CreateDatabase(o => o.TablePrefix = "nocx_");
        await single.EnsureSchemaAsync();
        var stories = TestData.Stories(TestData.NewRunId(), 2).ToList();
        await single.WriteCycleAsync(stories, TestData.Cards(stories, 2));
        var tables = single.Provider.Tables;
        await using var connection = await fixture.OpenConnectionAsync();
        var before = await PgLayout.SnapshotAsync(connection, tables.Schema, tables.SchemaVersion);
        await using var citus = fixture.CreateDatabase(o =>
        {
            o.TablePrefix = "nocx_";
            ((PostgreSqlOptions)o).Distribution = PostgreSqlDistribution.Citus;
        });

        var act = () => citus.EnsureSchemaAsync();

        await act.Should().ThrowAsync<SchemaException>();
        (await PgLayout.SnapshotAsync(connection, tables.Schema, tables.SchemaVersion)).Should().Be(before);
        (await PgLayout.PrimaryKeyAsync(connection, tables.Stories)).Should().Equal("id");
        (await single.Stories.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().HaveCount(2);
        (await single.Cards.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().HaveCount(4);
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_RunKeysOverASingleServerSchemaWithRows_RekeysEveryTableAndKeepsEveryRow()
    {
        fixture.SkipIfUnavailable();
        await using var single = fixture.CreateDatabase(o => o.TablePrefix = "mig_");
        await single.EnsureSchemaAsync();
        var run = TestData.NewRunId();
        var stories = TestData.Stories(run, 3).ToList();
        var cards = TestData.Cards(stories, 2).ToList();
        await single.WriteCycleAsync(stories, cards);
        await single.RunLog.AppendAsync([TestData.Event(run, storyId: stories[0].Id)]);
        var storiesBefore = await single.Stories.GetByRunAsync(run).ToListAsync();
        var cardsBefore = await single.Cards.GetByRunAsync(run).ToListAsync();
        var logBefore = await single.RunLog.GetByRunAsync(run).ToListAsync();
        await using var keyed = RunKeyed("mig_");

        (await keyed.EnsureSchemaAsync()).Should().Be(keyed.Provider.Schema.LatestVersion);

        var tables = keyed.Provider.Tables;
        await using var connection = await fixture.OpenConnectionAsync();
        foreach (var (table, name) in new[] { (tables.Stories, "stories"), (tables.Cards, "cards"), (tables.RunLog, "run_log") })
        {
            (await PgLayout.PrimaryKeyAsync(connection, table)).Should().Equal(RunThenId, $"{name} is keyed by run");
        }

        var storyIndexes = await KeyCatalog.IndexesAsync(connection, tables, "stories");
        var cardIndexes = await KeyCatalog.IndexesAsync(connection, tables, "cards");
        storyIndexes.Should().ContainSingle(i => i.Columns.SequenceEqual(RunThenId)).Which.Name.Should().Be("mig_stories_pk", "the (run_id, id) key became the primary key");
        storyIndexes.Should().ContainSingle(i => i.Columns.SequenceEqual(IdOnly)).Which.Unique.Should().BeFalse();
        cardIndexes.Should().ContainSingle(i => i.Columns.SequenceEqual(IdOnly)).Which.Unique.Should().BeFalse();
        var foreignKey = (await KeyCatalog.ForeignKeysAsync(connection, tables, "cards")).Should().ContainSingle().Which;
        foreignKey.Columns.Should().Equal("run_id", "story_id");
        foreignKey.ReferencedColumns.Should().Equal("run_id", "id");
        (await keyed.Stories.GetByRunAsync(run).ToListAsync()).Should().BeEquivalentTo(storiesBefore, o => o.WithStrictOrdering());
        (await keyed.Cards.GetByRunAsync(run).ToListAsync()).Should().BeEquivalentTo(cardsBefore, o => o.WithStrictOrdering());
        (await keyed.RunLog.GetByRunAsync(run).ToListAsync()).Should().BeEquivalentTo(logBefore, o => o.WithStrictOrdering());
        (await keyed.Stories.GetAsync(stories[1].Id)).Should().BeEquivalentTo(storiesBefore[1], "the id-only forms still find the row");
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_RunKeyedSchemaAgainInEitherMode_ChangesNothing()
    {
        fixture.SkipIfUnavailable();
        await using var keyed = RunKeyed("again_");
        await keyed.EnsureSchemaAsync();
        var tables = keyed.Provider.Tables;
        await using var connection = await fixture.OpenConnectionAsync();
        var before = await PgLayout.SnapshotAsync(connection, tables.Schema, tables.SchemaVersion);
        await using var single = fixture.CreateDatabase(o => o.TablePrefix = "again_");

        (await keyed.EnsureSchemaAsync()).Should().Be(keyed.Provider.Schema.LatestVersion);
        (await single.EnsureSchemaAsync()).Should().Be(single.Provider.Schema.LatestVersion, "a process in None mode accepts the run-keyed tables");

        (await PgLayout.SnapshotAsync(connection, tables.Schema, tables.SchemaVersion)).Should().Be(before);
        (await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {tables.SchemaVersion}")).Should().Be(keyed.Provider.Schema.LatestVersion);
    }

    [SkippableFact]
    public async Task AddRangeAsync_RunKeyedSameStoryIdInAnotherRun_IsAccepted()
    {
        // The documented difference of the distributed layout: ids are unique per run (Citus cannot enforce a key
        // without the distribution column); within a run a duplicate id is still a key violation.
        fixture.SkipIfUnavailable();
        await using var keyed = RunKeyed("perrun_");
        await keyed.EnsureSchemaAsync();
        var first = TestData.Story(TestData.NewRunId(), 0);
        var second = TestData.Story(TestData.NewRunId(), 0);
        second.Id = first.Id;
        var again = TestData.Story(first.RunId, 1);
        again.Id = first.Id;

        await keyed.Stories.AddRangeAsync([first]);
        await keyed.Stories.AddRangeAsync([second]);
        var duplicate = () => keyed.Stories.AddRangeAsync([again]);

        (await duplicate.Should().ThrowAsync<BatchValidationException>()).Which.Message.Should().Contain("id");
        (await keyed.Stories.GetByRunAsync(second.RunId).ToListAsync()).Should().ContainSingle().Which.Id.Should().Be(first.Id);
    }

    private RunEngineDatabase RunKeyed(string prefix) => fixture.CreateDatabase(o =>
    {
        o.TablePrefix = prefix;
        var postgres = (PostgreSqlOptions)o;
        postgres.Distribution = PostgreSqlDistribution.Citus;
        postgres.WithoutCitusExtension = true;
    });
}
