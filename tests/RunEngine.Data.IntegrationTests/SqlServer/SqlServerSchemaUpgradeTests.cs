using Microsoft.Data.SqlClient;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Mapping;
using RunEngine.Data.Schema;

namespace RunEngine.Data.IntegrationTests.SqlServer;

/// <summary>Script 002 on tables created by the previous release (version 1) that already hold rows.</summary>
public sealed class SqlServerSchemaUpgradeTests : IClassFixture<SqlServerFixture>
{
    private readonly SqlServerFixture _fixture;

    public SqlServerSchemaUpgradeTests(SqlServerFixture fixture)
    {
        _fixture = fixture;
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_VersionOneTablesWithRows_AddsClaimColumnsAndRunLogAndKeepsTheRows()
    {
        _fixture.SkipIfUnavailable();
        var database = _fixture.CreateSqlServerDatabase(o => o.TablePrefix = "v1_");
        var provider = database.Provider;
        var runId = TestData.NewRunId();
        var storyId = Guid.CreateVersion7();

        await using (var connection = (SqlConnection)await _fixture.OpenConnectionAsync())
        {
            foreach (var script in provider.Schema.Scripts.Where(s => s.Version <= 1))
            {
                foreach (var batch in provider.Schema.SplitBatches(provider.Tables.Expand(script.Text)))
                {
                    await ExecuteAsync(connection, batch);
                }
            }

            await ExecuteAsync(
                connection,
                SchemaMigrator.RecordVersionSql(provider.Tables),
                ("@Version", 1),
                ("@Description", "initial"),
                ("@AppliedAt", DateTimeOffset.UnixEpoch));
            await ExecuteAsync(
                connection,
                $"INSERT INTO {provider.Tables.Stories} (id, run_id, position, title, body, status, version, created_at, updated_at, metadata) " +
                "VALUES (@Id, @RunId, 0, N'written by version 1', NULL, 1, 1, SYSDATETIMEOFFSET(), SYSDATETIMEOFFSET(), NULL)",
                ("@Id", storyId),
                ("@RunId", runId));
        }

        var version = await database.EnsureSchemaAsync();

        version.Should().Be(provider.Schema.LatestVersion);
        (await _fixture.GetColumnsAsync("stories", "v1_")).Select(c => c.Name).Should().Equal(RunEngineTables.Stories.Columns.Select(c => c.Name));
        (await _fixture.GetColumnsAsync("run_log", "v1_")).Select(c => c.Name).Should().Equal(RunEngineTables.RunLog.Columns.Select(c => c.Name));
        var old = await database.Stories.GetAsync(storyId);
        old!.Should().BeEquivalentTo(new { Title = "written by version 1", ClaimedBy = (string?)null, LeaseExpiresAt = (DateTimeOffset?)null });
        var claims = await database.Claims.ClaimAsync(runId, "worker-a", 5, TimeSpan.FromMinutes(1));
        claims.Should().ContainSingle().Which.StoryId.Should().Be(storyId);
        (await database.RunLog.GetByRunAsync(runId).ToListAsync()).Should().ContainSingle().Which.Kind.Should().Be(RunEventKinds.StoryClaimed);
    }

    private static async Task ExecuteAsync(SqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new SqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
