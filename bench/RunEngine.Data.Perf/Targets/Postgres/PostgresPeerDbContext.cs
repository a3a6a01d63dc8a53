using Microsoft.EntityFrameworkCore;
using RunEngine.Data.Perf.Peers;

namespace RunEngine.Data.Perf.Targets.Postgres;

/// <summary>EF Core's PostgreSQL model of the library's tables: uuid, timestamptz, smallint status, jsonb metadata.</summary>
internal sealed class PostgresPeerDbContext : PeerDbContext
{
    public PostgresPeerDbContext(DbContextOptions<PostgresPeerDbContext> options)
        : base(options)
    {
    }

    protected override string? Schema => "public";

    protected override string? JsonColumnType => "jsonb";
}
