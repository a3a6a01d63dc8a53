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
    /// <exception cref="ArgumentException">
    /// <paramref name="workerId"/> is empty or white space, longer than 200 UTF-16 code units
    /// (<see cref="ArgumentOutOfRangeException"/>), or contains a NUL or an unpaired surrogate; nothing is sent.
    /// </exception>
    Task<IReadOnlyList<StoryClaim>> ClaimAsync(
        Guid runId, string workerId, int maxStories, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease the worker still holds to now + <paramref name="lease"/>.</summary>
    /// <exception cref="LeaseLostException">The lease expired, or the story changed hands or version.</exception>
    Task<StoryClaim> RenewAsync(StoryClaim claim, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Ends a lease the worker still holds by setting the story's final status.</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="result">The resulting status, usually <see cref="StoryStatus.Completed"/> or <see cref="StoryStatus.Failed"/>.</param>
    /// <param name="message">
    /// Optional detail for the run log, stored whole as "{result}: {message}": at most 3,989 UTF-16 code units, no NUL,
    /// no unpaired surrogate. It is never truncated: a longer or malformed message is rejected before anything is sent.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The story's new version.</returns>
    /// <exception cref="ArgumentException"><paramref name="message"/> or the claim's worker id breaks the text rule; the story is unchanged.</exception>
    /// <exception cref="LeaseLostException">The lease expired, or the story changed hands or version.</exception>
    Task<int> CompleteAsync(StoryClaim claim, StoryStatus result, string? message = null, CancellationToken cancellationToken = default);

    /// <summary>Gives a story back (status <see cref="StoryStatus.Ready"/>) so another worker can claim it.</summary>
    /// <exception cref="LeaseLostException">The lease expired, or the story changed hands or version.</exception>
    Task ReleaseAsync(StoryClaim claim, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes many claims in one transaction: each is checked exactly as by <see cref="CompleteAsync"/> (same
    /// worker, same version, <see cref="StoryStatus.InProgress"/>, lease not expired on the configured
    /// <see cref="LeaseClock"/>); those that hold get their final status, version + 1 and their
    /// <see cref="RunEventKinds.StoryCompleted"/> entry, set-based. A lost lease is reported in the result, not thrown,
    /// and does not stop the others.
    /// </summary>
    /// <param name="completions">At most 1,000 completions, each story at most once. None: a no-op that opens no connection.</param>
    /// <param name="cancellationToken">Cancels the call; nothing is changed.</param>
    /// <returns>One outcome per completion, in order, with the new version or why the lease was lost.</returns>
    /// <exception cref="ArgumentException">
    /// A completion breaks a rule of <see cref="CompleteAsync"/> (null claim, worker id or message against the text
    /// rule, a result that is not a defined final status), the same story appears twice, or there are more than 1,000;
    /// the message names the position. Nothing is sent.
    /// </exception>
    /// <remarks>
    /// On a database distributed by run (Citus, which takes row locks in single-shard statements only) the claims go as
    /// one statement per run (runs in Guid order, each run's claims in the order passed), each on its run's shard; a
    /// batch of several runs goes in one transaction (the caller's, or one of the library's own), so it is stored whole
    /// or not at all. The same holds for <see cref="RenewManyAsync"/> and <see cref="ReleaseManyAsync"/>.
    /// </remarks>
    Task<ClaimBatchResult> CompleteManyAsync(IEnumerable<ClaimCompletion> completions, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends many leases the worker still holds to now + <paramref name="lease"/>, in one transaction, checked and
    /// logged (<see cref="RunEventKinds.LeaseRenewed"/>) as by <see cref="RenewAsync"/>. Lost leases are reported, not thrown.
    /// </summary>
    /// <param name="claims">At most 1,000 claims, each story at most once. None: a no-op that opens no connection.</param>
    /// <param name="lease">The new lease, from now: positive and at most 7 days.</param>
    /// <param name="cancellationToken">Cancels the call; nothing is changed.</param>
    /// <returns>One outcome per claim, in order: <see cref="ClaimOutcome.Renewed"/> is the claim to use from now on.</returns>
    /// <exception cref="ArgumentException">As <see cref="CompleteManyAsync"/>, or <paramref name="lease"/> out of range; nothing is sent.</exception>
    Task<ClaimBatchResult> RenewManyAsync(IEnumerable<StoryClaim> claims, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives many stories back (<see cref="StoryStatus.Ready"/>) in one transaction, checked and logged
    /// (<see cref="RunEventKinds.StoryReleased"/>) as by <see cref="ReleaseAsync"/>. Lost leases are reported, not thrown.
    /// </summary>
    /// <param name="claims">At most 1,000 claims, each story at most once. None: a no-op that opens no connection.</param>
    /// <param name="cancellationToken">Cancels the call; nothing is changed.</param>
    /// <returns>One outcome per claim, in order.</returns>
    /// <exception cref="ArgumentException">As <see cref="CompleteManyAsync"/>; nothing is sent.</exception>
    Task<ClaimBatchResult> ReleaseManyAsync(IEnumerable<StoryClaim> claims, CancellationToken cancellationToken = default);
}
