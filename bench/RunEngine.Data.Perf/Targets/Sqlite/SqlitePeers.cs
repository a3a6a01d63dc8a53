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

    // quote() keeps the storage class: 'text', X'blob', 12, NULL.
    public override string StoredText(string quotedColumn) => $"quote({quotedColumn})";
}
