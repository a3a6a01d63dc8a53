using System.Data.Common;
using LinqToDB;
using Microsoft.EntityFrameworkCore;

namespace RunEngine.Data.Perf.Peers;

/// <summary>
/// What one database gives the peers (linq2db, EF Core): each over an open connection of the bench's own
/// (<see cref="Targets.BenchTarget.OpenAsync"/>, so the statement counter sees them), mapped onto the library's tables.
/// </summary>
internal abstract class PeerDatabase
{
    /// <summary>linq2db's options for <paramref name="connection"/> (the caller keeps and disposes it).</summary>
    public abstract DataOptions Linq2Db(DbConnection connection);

    /// <summary>A new EF Core context over <paramref name="connection"/> (the caller keeps and disposes it).</summary>
    public abstract PeerDbContext EfCore(DbConnection connection);

    /// <summary>
    /// The lifecycle's claim pick for EF Core: the run's claimable stories (Ready, or InProgress with an expired lease at
    /// <paramref name="now"/>) in position order, at most <paramref name="max"/>, as tracked entities, raw SQL
    /// (<c>FromSqlRaw</c>) locking what the database can lock; run it inside the claim's transaction.
    /// </summary>
    public abstract IQueryable<Story> Claimable(PeerDbContext context, string storiesTable, Guid runId, DateTimeOffset now, int max);

    /// <summary>
    /// A SQL expression that renders <paramref name="quotedColumn"/>'s stored value as text, in a form that tells apart
    /// what the peer check must tell apart (SQLite: the storage class too, so a BLOB id differs from a TEXT one).
    /// </summary>
    public abstract string StoredText(string quotedColumn);
}
