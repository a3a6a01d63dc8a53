namespace RunEngine.Data;

/// <summary>Stories: bulk inserts, reads, versioned status changes and run deletion.</summary>
public interface IStoryRepository
{
    /// <summary>
    /// Bulk-inserts the stories, streaming them from the sequence (never buffered), in one transaction: all or none.
    /// Each row is validated before it is sent. Zero rows is a no-op that opens no connection.
    /// </summary>
    /// <returns>The number of rows written.</returns>
    /// <exception cref="BatchValidationException">A row is invalid, duplicates an id, or already exists.</exception>
    Task<long> AddRangeAsync(IEnumerable<Story> stories, BulkInsertOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AddRangeAsync(IEnumerable{Story}, BulkInsertOptions?, CancellationToken)"/>
    Task<long> AddRangeAsync(IAsyncEnumerable<Story> stories, BulkInsertOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Returns the story with <paramref name="id"/>, or null.</summary>
    Task<Story?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Streams the stories of a run ordered by position (one query, rows read as they arrive).</summary>
    IAsyncEnumerable<Story> GetByRunAsync(Guid runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the status when the stored version equals <paramref name="expectedVersion"/>, raising the version by one,
    /// and records a <see cref="RunEventKinds.StoryStatusChanged"/> entry in the run log in the same transaction.
    /// Outside a claim: setting <see cref="StoryStatus.InProgress"/> keeps the story's lease, if it holds one (a story
    /// in progress without a lease can be claimed at once, like one whose lease expired); any other status clears the
    /// claim (<see cref="Story.ClaimedBy"/>, <see cref="Story.LeaseExpiresAt"/>). Either way the version changes, so
    /// the holder of an earlier claim gets <see cref="LeaseLostException"/> when it renews, completes or releases.
    /// </summary>
    /// <returns>The new version.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a defined value; nothing was sent.</exception>
    /// <exception cref="ConcurrencyConflictException">The stored version differs; nothing was changed.</exception>
    /// <exception cref="EntityNotFoundException">No story has this id.</exception>
    Task<int> UpdateStatusAsync(Guid id, StoryStatus status, int expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes every card, then every story, then the run log of a run, in one transaction.</summary>
    Task<RunDeletionResult> DeleteRunAsync(Guid runId, CancellationToken cancellationToken = default);
}
