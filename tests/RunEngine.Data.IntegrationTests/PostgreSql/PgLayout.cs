using System.Data.Common;
using Dapper;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>What a PostgreSQL schema's catalog says about the library's tables (the distributed layout's tests).</summary>
internal static class PgLayout
{
    /// <summary>
    /// Every constraint (with its definition), index (with its definition), table (with its storage options) and schema
    /// version row of <paramref name="schema"/>, one per line, sorted: equal before and after means nothing changed.
    /// </summary>
    public static async Task<string> SnapshotAsync(DbConnection connection, string schema, string versionTable)
    {
        var catalog = await connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT string_agg(x, E'\\n' ORDER BY x) FROM (" +
            "SELECT 'constraint ' || c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) AS x " +
            "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = @schema " +
            "UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = @schema " +
            "UNION ALL SELECT 'table ' || c.relname || ' ' || coalesce(c.reloptions::text, '') FROM pg_class c " +
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @schema AND c.relkind = 'r') s",
            new { schema });
        var versions = await connection.QuerySingleOrDefaultAsync<string?>(
            $"SELECT string_agg(version || ' ' || description || ' ' || applied_at::text, E'\\n' ORDER BY version) FROM {versionTable}");
        return catalog + "\n--\n" + versions;
    }

    /// <summary>The primary key's columns of <paramref name="qualifiedTable"/>, in key order.</summary>
    public static async Task<IReadOnlyList<string>> PrimaryKeyAsync(DbConnection connection, string qualifiedTable) =>
        (await connection.QueryAsync<string>(
            "SELECT a.attname FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) " +
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum " +
            "WHERE c.conrelid = @table::regclass AND c.contype = 'p' ORDER BY k.ord",
            new { table = qualifiedTable })).ToList();

    /// <summary>Whether schema <paramref name="schema"/> exists.</summary>
    public static async Task<bool> SchemaExistsAsync(DbConnection connection, string schema) =>
        await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", new { schema });
}
