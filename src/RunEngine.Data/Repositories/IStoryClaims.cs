namespace RunEngine.Data;

/// <summary>
/// Work claiming for limited parallelism across processes and machines: the database is the coordinator. Claims use
/// the database's own non-blocking row locking (SQL Server <c>UPDLOCK, READPAST, ROWLOCK</c>; PostgreSQL
/// <c>FOR UPDATE SKIP LOCKED</c>; SQLite one immediate transaction), so concurrent workers never get the same story.
/// Every call writes its <see cref="RunEvent"/> in the same transaction.
/// </summary>
public interface IStoryClaims
{
    /// <summary>
    /// Claims up to <paramref name="maxStories"/> stories of the run that are <see cref="StoryStatus.Ready"/>, or
    /// <see cref="StoryStatus.InProgress"/> with an expired lease, in position order. Each becomes
    /// <see cref="StoryStatus.InProgress"/> for <paramref name="workerId"/> until now + <paramref name="lease"/>.
    /// </summary>
    /// <returns>The claims; empty when nothing is claimable.</returns>
    Task<IReadOnlyList<StoryClaim>> ClaimAsync(
        Guid runId, string workerId, int maxStories, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease the worker still holds to now + <paramref name="lease"/>.</summary>
    /// <exception cref="LeaseLostException">The lease expired, or the story changed hands or version.</exception>
    Task<StoryClaim> RenewAsync(StoryClaim claim, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Ends a lease the worker still holds by setting the story's final status.</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="result">The resulting status, usually <see cref="StoryStatus.Completed"/> or <see cref="StoryStatus.Failed"/>.</param>
    /// <param name="message">Optional detail for the run log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The story's new version.</returns>
    /// <exception cref="LeaseLostException">The lease expired, or the story changed hands or version.</exception>
    Task<int> CompleteAsync(StoryClaim claim, StoryStatus result, string? message = null, CancellationToken cancellationToken = default);

    /// <summary>Gives a story back (status <see cref="StoryStatus.Ready"/>) so another worker can claim it.</summary>
    /// <exception cref="LeaseLostException">The lease expired, or the story changed hands or version.</exception>
    Task ReleaseAsync(StoryClaim claim, CancellationToken cancellationToken = default);
}
