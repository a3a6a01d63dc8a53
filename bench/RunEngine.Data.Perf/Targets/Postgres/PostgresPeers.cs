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

    // FOR UPDATE SKIP LOCKED, as the library's claim: concurrent claims skip each other's rows instead of waiting.
    public override IQueryable<Story> Claimable(PeerDbContext context, string storiesTable, Guid runId, DateTimeOffset now, int max)
    {
        // The table name is the library's validated, quoted identifier; every value is a parameter.
        var sql = $"SELECT * FROM {storiesTable} WHERE run_id = {{0}} AND (status = {{1}} OR (status = {{2}} AND (lease_expires_at IS NULL OR lease_expires_at < {{3}}))) " +
            "ORDER BY position LIMIT {4} FOR UPDATE SKIP LOCKED";
        return context.Stories.FromSqlRaw(sql, runId, (short)StoryStatus.Ready, (short)StoryStatus.InProgress, now, max);
    }

    // The column's own text output: uuid, timestamptz (microseconds, in the session's time zone), jsonb normalized.
    public override string StoredText(string quotedColumn) => $"CAST({quotedColumn} AS text)";
}
