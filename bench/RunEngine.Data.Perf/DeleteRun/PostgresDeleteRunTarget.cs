using Dapper;
using Npgsql;
using RunEngine.Data.PostgreSql;

namespace RunEngine.Data.Perf.DeleteRun;

/// <summary>
/// A new schema per variant, dropped afterwards. Its tables are analyzed while they hold 5,000 small runs, then
/// autovacuum is turned off on them, so the statistics are stale once the big run is inserted (no ANALYZE after the
/// bulk insert): the state right after a host writes a big run into a database of small ones.
/// </summary>
internal sealed class PostgresDeleteRunTarget : DeleteRunTarget
{
    private readonly string _connectionString;
    private readonly List<string> _schemas = [];
    private readonly List<RunEngineDatabase> _databases = [];
    private string _schema = "";

    public PostgresDeleteRunTarget(string connectionString)
    {
        _connectionString = connectionString;
    }

    public override string Name => "PostgreSQL";

    public override async Task<RunEngineDatabase> CreateAsync(SchemaVariant variant, CancellationToken cancellationToken)
    {
        _schema = $"re_delete_run_{variant.ToString().ToLowerInvariant()}_{Guid.NewGuid():N}"[..48];
        _schemas.Add(_schema);
        var db = PostgreSqlDatabase.Create(_connectionString, new PostgreSqlOptions { Schema = _schema, CommandTimeout = TimeSpan.FromMinutes(10) });
        _databases.Add(db);
        await using var connection = await OpenAsync(cancellationToken);
        if (variant == SchemaVariant.Version2)
        {
            var q = $"\"{_schema}\"";
            var placeholders = new Dictionary<string, string>
            {
                ["$(SchemaName)"] = _schema, ["$(Schema)"] = q, ["$(Stories)"] = $"{q}.\"re_stories\"", ["$(Cards)"] = $"{q}.\"re_cards\"",
                ["$(RunLog)"] = $"{q}.\"re_run_log\"", ["$(SchemaVersion)"] = $"{q}.\"re_schema_version\"", ["$(Prefix)"] = "re_",
            };
            foreach (var file in Version2Scripts)
            {
                await connection.ExecuteAsync(Script(typeof(PostgreSqlDatabase), "RunEngine.Data.PostgreSql", file, placeholders));
            }

            foreach (var (version, description) in Version2Rows)
            {
                await connection.ExecuteAsync(
                    $"INSERT INTO {q}.re_schema_version (version, description, applied_at) VALUES (@version, @description, now())",
                    new { version, description });
            }
        }
        else
        {
            await db.EnsureSchemaAsync(cancellationToken);
            if (variant is SchemaVariant.Version3WithRunIndex or SchemaVariant.CompositeKeyOverVersion2Indexes)
            {
                await connection.ExecuteAsync($"CREATE INDEX re_cards_run_ix ON \"{_schema}\".re_cards (run_id)");
            }

            if (variant == SchemaVariant.CompositeKeyOverVersion2Indexes)
            {
                await connection.ExecuteAsync(
                    $"ALTER TABLE \"{_schema}\".re_cards DROP CONSTRAINT re_cards_run_story_position_uq, " +
                    "ADD CONSTRAINT re_cards_story_position_uq UNIQUE (story_id, position)");
            }
        }

        // Stale statistics: the tables are analyzed while they hold only many small runs (5,000 runs of one story and
        // 10 cards), so run_id looks as selective as a key; the big run is then inserted without another ANALYZE.
        var t = $"\"{_schema}\"";
        await connection.ExecuteAsync(
            $"ALTER TABLE {t}.re_stories SET (autovacuum_enabled = false); ALTER TABLE {t}.re_cards SET (autovacuum_enabled = false); " +
            $"INSERT INTO {t}.re_stories (id, run_id, position, title, status, version, created_at, updated_at) " +
            "SELECT gen_random_uuid(), gen_random_uuid(), 0, 'small run', 1, 1, now(), now() FROM generate_series(1, 5000); " +
            $"INSERT INTO {t}.re_cards (id, run_id, story_id, position, title, status, version, created_at, updated_at) " +
            $"SELECT gen_random_uuid(), s.run_id, s.id, g, 'small run card', 0, 1, now(), now() FROM {t}.re_stories s, generate_series(0, 9) g; " +
            $"ANALYZE {t}.re_stories; ANALYZE {t}.re_cards",
            commandTimeout: 600);
        return db;
    }

    public override async Task<string> ExplainForeignKeyCheckAsync(SchemaVariant variant, Guid runId, Guid storyId, CancellationToken cancellationToken)
    {
        // The query PostgreSQL's referential-integrity trigger runs for each deleted story (ri_triggers.c), planned as
        // the trigger's saved plan is: generic, for any parameter values.
        await using var connection = await OpenAsync(cancellationToken);
        var where = variant == SchemaVariant.Version2 ? "$1 OPERATOR(pg_catalog.=) story_id" : "$1 OPERATOR(pg_catalog.=) run_id AND $2 OPERATOR(pg_catalog.=) story_id";
        var parameters = variant == SchemaVariant.Version2 ? "uuid" : "uuid, uuid";
        var arguments = variant == SchemaVariant.Version2 ? $"'{storyId}'" : $"'{runId}', '{storyId}'";
        await connection.ExecuteAsync("SET plan_cache_mode = force_generic_plan");
        await connection.ExecuteAsync($"PREPARE re_fk_check ({parameters}) AS SELECT 1 FROM ONLY \"{_schema}\".re_cards x WHERE {where} FOR KEY SHARE OF x");
        var plan = await connection.QueryAsync<string>($"EXPLAIN EXECUTE re_fk_check ({arguments})");
        return string.Join("; ", plan.Select(l => l.Trim()));
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var db in _databases)
        {
            await db.DisposeAsync();
        }

        await using var connection = await OpenAsync(CancellationToken.None);
        foreach (var schema in _schemas)
        {
            await connection.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
