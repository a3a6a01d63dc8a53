using System.Data.Common;
using LinqToDB;
using LinqToDB.DataProvider.PostgreSQL;
using LinqToDB.Mapping;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RunEngine.Data.Perf.Peers;

namespace RunEngine.Data.Perf.Targets.Postgres;

/// <summary>linq2db and EF Core on PostgreSQL, over the bench's own connections (Npgsql).</summary>
internal sealed class PostgresPeers : PeerDatabase
{
    private static readonly MappingSchema Mapping = Linq2DbMapping.Create("public", BenchTarget.TablePrefix, textIdsAndTimes: false);

    public override DataOptions Linq2Db(DbConnection connection) =>
        new DataOptions().UsePostgreSQL(PostgreSQLVersion.v15).UseConnection(connection).UseMappingSchema(Mapping);

    public override PeerDbContext EfCore(DbConnection connection) =>
        new PostgresPeerDbContext(new DbContextOptionsBuilder<PostgresPeerDbContext>().UseNpgsql((NpgsqlConnection)connection).Options);

    // The column's own text output: uuid, timestamptz (microseconds, in the session's time zone), jsonb normalized.
    public override string StoredText(string quotedColumn) => $"CAST({quotedColumn} AS text)";
}
