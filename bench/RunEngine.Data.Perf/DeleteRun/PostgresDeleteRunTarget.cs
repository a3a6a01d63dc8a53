using Dapper;
using Npgsql;
using RunEngine.Data.PostgreSql;

namespace RunEngine.Data.Perf.DeleteRun;

/// <summary>
/// A new schema per variant, dropped afterwards. Autovacuum is turned off on its tables so the statistics stay what
/// the bulk insert left (none: no ANALYZE has run), the state right after a host writes a big run.
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
        var db = PostgreSqlDatabase.Create(_connectionString, new PostgreSqlOptions { Schema = _schema });
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
            if (variant == SchemaVariant.Version3WithRunIndex)
            {
                await connection.ExecuteAsync($"CREATE INDEX re_cards_run_ix ON \"{_schema}\".re_cards (run_id)");
            }
        }

        await connection.ExecuteAsync(
            $"ALTER TABLE \"{_schema}\".re_stories SET (autovacuum_enabled = false); ALTER TABLE \"{_schema}\".re_cards SET (autovacuum_enabled = false)");
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
