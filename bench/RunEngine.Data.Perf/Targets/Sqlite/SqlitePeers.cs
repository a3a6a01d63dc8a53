using System.Data.Common;
using LinqToDB;
using LinqToDB.DataProvider.SQLite;
using LinqToDB.Mapping;
using Microsoft.EntityFrameworkCore;
using RunEngine.Data.Perf.Peers;

namespace RunEngine.Data.Perf.Targets.Sqlite;

/// <summary>linq2db and EF Core on SQLite, over the bench's own connections (Microsoft.Data.Sqlite).</summary>
internal sealed class SqlitePeers : PeerDatabase
{
    private static readonly MappingSchema Mapping = Linq2DbMapping.Create(schema: null, BenchTarget.TablePrefix, textIdsAndTimes: true);

    public override DataOptions Linq2Db(DbConnection connection) =>
        new DataOptions().UseSQLite(SQLiteProvider.Microsoft).UseConnection(connection).UseMappingSchema(Mapping);

    public override PeerDbContext EfCore(DbConnection connection) =>
        new SqlitePeerDbContext(new DbContextOptionsBuilder<SqlitePeerDbContext>().UseSqlite(connection).Options);

    // No row locks in SQLite: the claim's transaction is BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default), which takes the
    // database's single write lock before this SELECT, so concurrent claims run one after another, as the library's do.
    public override IQueryable<Story> Claimable(PeerDbContext context, string storiesTable, Guid runId, DateTimeOffset now, int max)
    {
        // The table name is the library's validated, quoted identifier; every value is a parameter.
        var sql = $"SELECT * FROM {storiesTable} WHERE run_id = {{0}} AND (status = {{1}} OR (status = {{2}} AND (lease_expires_at IS NULL OR lease_expires_at < {{3}}))) " +
            "ORDER BY position LIMIT {4}";
        return context.Stories.FromSqlRaw(sql, runId, (short)StoryStatus.Ready, (short)StoryStatus.InProgress, now, max);
    }

    // quote() keeps the storage class: 'text', X'blob', 12, NULL.
    public override string StoredText(string quotedColumn) => $"quote({quotedColumn})";
}
