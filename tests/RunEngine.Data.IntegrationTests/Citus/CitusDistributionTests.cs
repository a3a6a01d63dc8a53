using System.Data.Common;
using Dapper;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.IntegrationTests.PostgreSql;
using RunEngine.Data.PostgreSql;
using RunEngine.Data.Providers;

namespace RunEngine.Data.IntegrationTests.Citus;

/// <summary>
/// The distributed layout on a Citus cluster (<c>RUNENGINE_TEST_CITUS</c>): the tables are hash-distributed by run_id
/// and colocated, the version table stays local, a cycle lands on one shard group, a second migration (in either mode)
/// changes nothing, and a single-server schema with rows is migrated in place.
/// </summary>
public sealed class CitusDistributionTests(CitusFixture fixture) : IClassFixture<CitusFixture>
{
    [SkippableFact]
    public async Task EnsureSchemaAsync_Citus_DistributesTheTablesByRunIdColocatedWithStories()
    {
        fixture.SkipIfUnavailable();
        var tables = fixture.Database.Provider.Tables;
        await using var connection = await fixture.OpenConnectionAsync();

        var partitions = await DistributionAsync(connection, tables);
        var listed = (await connection.QueryAsync<(string Table, string Type, string Column, int Colocation)>(
            "SELECT table_name::text, citus_table_type, distribution_column, colocation_id FROM citus_tables " +
            "WHERE table_name IN (@Stories::regclass, @Cards::regclass, @RunLog::regclass)",
            new { tables.Stories, tables.Cards, tables.RunLog })).ToList();

        partitions.Should().HaveCount(3).And.OnlyContain(p => p.Method == "h" && p.Column == "run_id");
        partitions.Select(p => p.Colocation).Distinct().Should().ContainSingle("cards and the run log are colocated with the stories");
        listed.Should().HaveCount(3).And.OnlyContain(t => t.Type == "distributed" && t.Column == "run_id");
        listed.Select(t => t.Colocation).Distinct().Should().ContainSingle();
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_Citus_KeepsTheSchemaVersionTableLocal()
    {
        fixture.SkipIfUnavailable();
        var tables = fixture.Database.Provider.Tables;
        await using var connection = await fixture.OpenConnectionAsync();

        (await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = @table::regclass", new { table = tables.SchemaVersion })).Should().Be(0);
        (await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM citus_tables WHERE table_name = @table::regclass", new { table = tables.SchemaVersion })).Should().Be(0);
        (await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {tables.SchemaVersion}")).Should().Be(fixture.Database.Provider.Schema.LatestVersion);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_OneRun_LandsOnOneShardGroup()
    {
        fixture.SkipIfUnavailable();
        var db = fixture.Database;
        var tables = db.Provider.Tables;
        var run = TestData.NewRunId();
        var stories = TestData.Stories(run, 20).ToList();
        await db.WriteCycleAsync(stories, TestData.Cards(stories, 3));
        await db.RunLog.AppendAsync([TestData.Event(run, storyId: stories[0].Id)]);
        await using var connection = await fixture.OpenConnectionAsync();

        var placements = new List<(string Node, int Port)>();
        foreach (var table in new[] { tables.Stories, tables.Cards, tables.RunLog })
        {
            var shards = (await connection.QueryAsync<long>(
                $"SELECT DISTINCT get_shard_id_for_distribution_column(@table, run_id) FROM {table} WHERE run_id = @run",
                new { table, run })).ToList();
            shards.Should().ContainSingle($"all of {table}'s rows of one run are on one shard");
            placements.AddRange(await connection.QueryAsync<(string, int)>(
                "SELECT nodename, nodeport FROM citus_shards WHERE shardid = @shard", new { shard = shards[0] }));
        }

        placements.Distinct().Should().ContainSingle("the run's stories, cards and log entries are on one node");
        (await db.Cards.GetByRunAsync(run).ToListAsync()).Should().HaveCount(60);
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_DistributedAlreadyInEitherMode_ChangesNothing()
    {
        fixture.SkipIfUnavailable();
        var tables = fixture.Database.Provider.Tables;
        await using var connection = await fixture.OpenConnectionAsync();
        var before = await SnapshotAsync(connection, tables);
        await using var again = fixture.CreateDatabase();
        await using var single = fixture.CreateDatabase(o => ((PostgreSqlOptions)o).Distribution = PostgreSqlDistribution.None);

        (await again.EnsureSchemaAsync()).Should().Be(again.Provider.Schema.LatestVersion);
        (await single.EnsureSchemaAsync()).Should().Be(single.Provider.Schema.LatestVersion);

        (await SnapshotAsync(connection, tables)).Should().Be(before);
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_CitusOverASingleServerSchemaWithRows_DistributesAndKeepsEveryRow()
    {
        fixture.SkipIfUnavailable();
        await using var single = fixture.CreateDatabase(o =>
        {
            o.TablePrefix = "single_";
            ((PostgreSqlOptions)o).Distribution = PostgreSqlDistribution.None;
        });
        await single.EnsureSchemaAsync();
        var runs = Enumerable.Range(0, 4).Select(_ => TestData.NewRunId()).ToList();
        foreach (var run in runs)
        {
            var stories = TestData.Stories(run, 5).ToList();
            await single.WriteCycleAsync(stories, TestData.Cards(stories, 2));
        }

        var storiesBefore = await single.Stories.GetByRunAsync(runs[0]).ToListAsync();
        var cardsBefore = await single.Cards.GetByRunAsync(runs[0]).ToListAsync();
        var logBefore = await single.RunLog.GetByRunAsync(runs[0]).ToListAsync();
        await using var distributed = fixture.CreateDatabase(o => o.TablePrefix = "single_");

        (await distributed.EnsureSchemaAsync()).Should().Be(distributed.Provider.Schema.LatestVersion);

        var tables = distributed.Provider.Tables;
        await using var connection = await fixture.OpenConnectionAsync();
        (await DistributionAsync(connection, tables)).Should().HaveCount(3).And.OnlyContain(p => p.Method == "h" && p.Column == "run_id");
        (await distributed.Stories.GetByRunAsync(runs[0]).ToListAsync()).Should().BeEquivalentTo(storiesBefore, o => o.WithStrictOrdering());
        (await distributed.Cards.GetByRunAsync(runs[0]).ToListAsync()).Should().BeEquivalentTo(cardsBefore, o => o.WithStrictOrdering());
        (await distributed.RunLog.GetByRunAsync(runs[0]).ToListAsync()).Should().BeEquivalentTo(logBefore, o => o.WithStrictOrdering());
        (await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {tables.Cards}")).Should().Be(40);
        foreach (var table in new[] { tables.Stories, tables.Cards, tables.RunLog })
        {
            (await connection.ExecuteScalarAsync<long>("SELECT pg_relation_size(@table::regclass)", new { table }))
                .Should().Be(0, $"the rows copied into {table}'s shards are truncated from the coordinator's local table");
        }
    }

    private static async Task<List<(string Table, string Method, string? Column, int Colocation)>> DistributionAsync(DbConnection connection, TableNames tables) =>
        (await connection.QueryAsync<(string, string, string?, int)>(
            "SELECT logicalrelid::text, partmethod::text, column_to_column_name(logicalrelid, partkey), colocationid FROM pg_dist_partition " +
            "WHERE logicalrelid IN (@Stories::regclass, @Cards::regclass, @RunLog::regclass)",
            new { tables.Stories, tables.Cards, tables.RunLog })).ToList();

    /// <summary>The coordinator's catalog of the fixture's schema, and Citus's metadata of its tables.</summary>
    private static async Task<string> SnapshotAsync(DbConnection connection, TableNames tables) =>
        await PgLayout.SnapshotAsync(connection, tables.Schema, tables.SchemaVersion) + "\n--\n" +
        string.Join("\n", (await DistributionAsync(connection, tables)).OrderBy(p => p.Table)) + "\n--\n" +
        await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM pg_dist_shard WHERE logicalrelid IN (@Stories::regclass, @Cards::regclass, @RunLog::regclass)",
            new { tables.Stories, tables.Cards, tables.RunLog });
}
