using Microsoft.EntityFrameworkCore;
using RunEngine.Data.Perf.Peers;

namespace RunEngine.Data.Perf.Targets.Sqlite;

/// <summary>
/// EF Core's SQLite model of the library's tables. EF Core stores a <see cref="Guid"/> as upper-case TEXT and a
/// <see cref="DateTimeOffset"/> as the TEXT Microsoft.Data.Sqlite binds, which is what the library stores, so no
/// converters are needed (the peer check proves it).
/// </summary>
internal sealed class SqlitePeerDbContext : PeerDbContext
{
    public SqlitePeerDbContext(DbContextOptions<SqlitePeerDbContext> options)
        : base(options)
    {
    }

    protected override string? Schema => null;

    protected override string? JsonColumnType => null;
}
