using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using RunEngine.Data.Providers;

namespace RunEngine.Data.IntegrationTests.Infrastructure;

/// <summary>
/// The indexes and foreign keys of one of the library's tables, read from the database's own catalog (the one place in
/// the tests that knows each catalog, chosen by the connection's type).
/// </summary>
internal static class KeyCatalog
{
    /// <summary>Every index of <paramref name="table"/> ("stories", "cards"): its key columns in order, and whether it is unique.</summary>
    public static async Task<IReadOnlyList<IndexKey>> IndexesAsync(DbConnection connection, TableNames tables, string table)
    {
        var name = tables.Prefix + table;
        var rows = connection switch
        {
            SqliteConnection => await connection.QueryAsync<(string Index, bool Unique, string Column)>(
                "SELECT il.name, il.\"unique\", ii.name FROM pragma_index_list(@name) il, pragma_index_info(il.name) ii ORDER BY il.name, ii.seqno",
                new { name }),
            NpgsqlConnection => await connection.QueryAsync<(string Index, bool Unique, string Column)>(
                "SELECT i.relname, ix.indisunique, a.attname FROM pg_index ix " +
                "JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_namespace n ON n.oid = t.relnamespace " +
                "CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) " +
                "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum " +
                "WHERE n.nspname = @schema AND t.relname = @name ORDER BY i.relname, k.ord",
                new { schema = tables.Schema, name }),
            SqlConnection => await connection.QueryAsync<(string Index, bool Unique, string Column)>(
                "SELECT i.name, i.is_unique, c.name FROM sys.indexes i " +
                "JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id " +
                "JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id " +
                "WHERE i.object_id = OBJECT_ID(@qualified) AND ic.is_included_column = 0 ORDER BY i.name, ic.key_ordinal",
                new { qualified = table == "stories" ? tables.Stories : tables.Cards }),
            _ => throw new NotSupportedException(connection.GetType().Name),
        };
        return rows.GroupBy(r => r.Index)
            .Select(g => new IndexKey(g.Key, g.First().Unique, g.Select(r => r.Column).ToList()))
            .ToList();
    }

    /// <summary>The foreign keys of <paramref name="table"/>: the referencing and the referenced columns, in key order.</summary>
    public static async Task<IReadOnlyList<ForeignKey>> ForeignKeysAsync(DbConnection connection, TableNames tables, string table)
    {
        var name = tables.Prefix + table;
        var rows = connection switch
        {
            SqliteConnection => await connection.QueryAsync<(string Key, string Column, string Referenced, string Table)>(
                "SELECT CAST(id AS TEXT), \"from\", \"to\", \"table\" FROM pragma_foreign_key_list(@name) ORDER BY id, seq",
                new { name }),
            NpgsqlConnection => await connection.QueryAsync<(string Key, string Column, string Referenced, string Table)>(
                "SELECT c.conname, a.attname, fa.attname, ft.relname FROM pg_constraint c " +
                "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class ft ON ft.oid = c.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace " +
                "CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(att, fatt, ord) " +
                "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.att " +
                "JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = k.fatt " +
                "WHERE c.contype = 'f' AND n.nspname = @schema AND t.relname = @name ORDER BY c.conname, k.ord",
                new { schema = tables.Schema, name }),
            SqlConnection => await connection.QueryAsync<(string Key, string Column, string Referenced, string Table)>(
                "SELECT f.name, pc.name, rc.name, OBJECT_NAME(f.referenced_object_id) FROM sys.foreign_keys f " +
                "JOIN sys.foreign_key_columns fc ON fc.constraint_object_id = f.object_id " +
                "JOIN sys.columns pc ON pc.object_id = fc.parent_object_id AND pc.column_id = fc.parent_column_id " +
                "JOIN sys.columns rc ON rc.object_id = fc.referenced_object_id AND rc.column_id = fc.referenced_column_id " +
                "WHERE f.parent_object_id = OBJECT_ID(@qualified) ORDER BY f.name, fc.constraint_column_id",
                new { qualified = table == "stories" ? tables.Stories : tables.Cards }),
            _ => throw new NotSupportedException(connection.GetType().Name),
        };
        return rows.GroupBy(r => r.Key)
            .Select(g => new ForeignKey(g.Key, g.First().Table, g.Select(r => r.Column).ToList(), g.Select(r => r.Referenced).ToList()))
            .ToList();
    }
}
