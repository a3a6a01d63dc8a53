namespace RunEngine.Data;

/// <summary>Cards: bulk inserts, reads, versioned status changes and deletion by run.</summary>
public interface ICardRepository
{
    /// <summary>
    /// Bulk-inserts the cards, streaming them from the sequence (never buffered), in one transaction: all or none.
    /// Each row is validated before it is sent; every card's story must exist (in the database, or earlier in the same
    /// transaction). Zero rows is a no-op that opens no connection.
    /// </summary>
    /// <returns>The number of rows written.</returns>
    /// <exception cref="BatchValidationException">A row is invalid, duplicates an id, already exists or references a missing story.</exception>
    Task<long> AddRangeAsync(IEnumerable<Card> cards, BulkInsertOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AddRangeAsync(IEnumerable{Card}, BulkInsertOptions?, CancellationToken)"/>
    Task<long> AddRangeAsync(IAsyncEnumerable<Card> cards, BulkInsertOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Returns the card with <paramref name="id"/>, or null.</summary>
    Task<Card?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Streams the cards of a story ordered by position.</summary>
    IAsyncEnumerable<Card> GetByStoryAsync(Guid storyId, CancellationToken cancellationToken = default);

    /// <summary>Streams the cards of a run in story order, then card order.</summary>
    IAsyncEnumerable<Card> GetByRunAsync(Guid runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the status when the stored version equals <paramref name="expectedVersion"/>, raising the version by one,
    /// and records a <see cref="RunEventKinds.CardStatusChanged"/> entry in the run log in the same transaction.
    /// </summary>
    /// <returns>The new version.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a defined value; nothing was sent.</exception>
    /// <exception cref="ConcurrencyConflictException">The stored version differs; nothing was changed.</exception>
    /// <exception cref="EntityNotFoundException">No card has this id.</exception>
    Task<int> UpdateStatusAsync(Guid id, CardStatus status, int expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes every card of a run.</summary>
    /// <returns>The number of cards deleted.</returns>
    Task<long> DeleteByRunAsync(Guid runId, CancellationToken cancellationToken = default);
}
