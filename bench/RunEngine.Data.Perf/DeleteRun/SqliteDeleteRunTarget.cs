using Dapper;
using Microsoft.Data.Sqlite;
using RunEngine.Data.Sqlite;

namespace RunEngine.Data.Perf.DeleteRun;

/// <summary>A new SQLite file (WAL) per variant, deleted afterwards. SQLite keeps no statistics until ANALYZE runs.</summary>
internal sealed class SqliteDeleteRunTarget : DeleteRunTarget
{
    private readonly List<string> _files = [];
    private readonly List<RunEngineDatabase> _databases = [];
    private string? _current;

    public override string Name => "SQLite";

    public override bool Supports(SchemaVariant variant) => variant != SchemaVariant.CompositeKeyOverVersion2Indexes;

    public override async Task<RunEngineDatabase> CreateAsync(SchemaVariant variant, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"re_delete_run_{variant}_{Guid.NewGuid():N}.db");
        _files.Add(path);
        _current = $"Data Source={path};Pooling=False;Foreign Keys=True";
        var db = SqliteDatabase.Create(_current, new SqliteOptions { CommandTimeout = TimeSpan.FromMinutes(10) });
        _databases.Add(db);
        if (variant == SchemaVariant.Version2)
        {
            await using var connection = await OpenAsync();
            var placeholders = new Dictionary<string, string>
            {
                ["$(Stories)"] = "\"re_stories\"", ["$(Cards)"] = "\"re_cards\"", ["$(RunLog)"] = "\"re_run_log\"",
                ["$(SchemaVersion)"] = "\"re_schema_version\"", ["$(Prefix)"] = "re_",
            };
            foreach (var file in Version2Scripts)
            {
                await connection.ExecuteAsync(Script(typeof(SqliteDatabase), "RunEngine.Data.Sqlite", file, placeholders));
            }

            foreach (var (version, description) in Version2Rows)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO re_schema_version (version, description, applied_at) VALUES (@version, @description, '2026-01-01 00:00:00+00:00')",
                    new { version, description });
            }
        }
        else
        {
            await db.EnsureSchemaAsync(cancellationToken);
            if (variant == SchemaVariant.Version3WithRunIndex)
            {
                await using var connection = await OpenAsync();
                await connection.ExecuteAsync("CREATE INDEX re_ix_cards_run_id ON re_cards (run_id)");
            }
        }

        return db;
    }

    public override async Task<string> ExplainForeignKeyCheckAsync(SchemaVariant variant, Guid runId, Guid storyId, CancellationToken cancellationToken)
    {
        // SQLite checks a deleted parent row by looking its child key up in the child table, as this query does.
        await using var connection = await OpenAsync();
        var where = variant == SchemaVariant.Version2 ? "story_id = @storyId" : "run_id = @runId AND story_id = @storyId";
        var rows = await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            $"EXPLAIN QUERY PLAN SELECT 1 FROM re_cards WHERE {where}", new { runId, storyId });
        return string.Join("; ", rows.Select(r => r.Detail));
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var db in _databases)
        {
            await db.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        foreach (var file in _files)
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(file + suffix);
            }
        }
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(_current);
        await connection.OpenAsync();
        return connection;
    }
}
