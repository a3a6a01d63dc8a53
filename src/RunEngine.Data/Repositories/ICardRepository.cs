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
    /// <remarks>
    /// The run is not known, so on a database distributed by run (PostgreSQL with
    /// <c>PostgreSqlDistribution.Citus</c>) the look-up touches every shard; when the run is known, use
    /// <see cref="GetAsync(Guid, Guid, CancellationToken)"/>, which reads the run's shard alone.
    /// </remarks>
    Task<Card?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns the card with <paramref name="id"/> of the run <paramref name="runId"/>, or null; a card of another run is
    /// not found, exactly as a missing one. One primary-key read; on a database distributed by run it goes to the run's
    /// shard alone. Retried on a transient error, as <see cref="GetAsync(Guid, CancellationToken)"/>.
    /// </summary>
    /// <param name="runId">The card's run; must not be <see cref="Guid.Empty"/>.</param>
    /// <param name="id">The card's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The card, or null when the run has no card with this id.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is <see cref="Guid.Empty"/>; nothing was sent.</exception>
    Task<Card?> GetAsync(Guid runId, Guid id, CancellationToken cancellationToken = default);

    /// <summary>Streams the cards of a story ordered by position.</summary>
    /// <remarks>
    /// The story's run is read first, by the story's id alone, so on a database distributed by run (PostgreSQL with
    /// <c>PostgreSqlDistribution.Citus</c>) the read touches every shard; when the run is known, use
    /// <see cref="GetByStoryAsync(Guid, Guid, CancellationToken)"/>, which reads the run's shard alone.
    /// </remarks>
    IAsyncEnumerable<Card> GetByStoryAsync(Guid storyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the cards of the story <paramref name="storyId"/> of the run <paramref name="runId"/> ordered by position
    /// (one query on the cards' key (run_id, story_id, position), rows read as they arrive); a story of another run has
    /// no cards here, exactly as a missing one. On a database distributed by run it goes to the run's shard alone.
    /// The query and its first row are retried on a transient error, as <see cref="GetByStoryAsync(Guid, CancellationToken)"/>.
    /// </summary>
    /// <param name="runId">The story's run; must not be <see cref="Guid.Empty"/> (checked when the method is called).</param>
    /// <param name="storyId">The story's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The cards, in position order; none when the run has no story with this id or the story has no cards.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is <see cref="Guid.Empty"/>; nothing was sent.</exception>
    IAsyncEnumerable<Card> GetByStoryAsync(Guid runId, Guid storyId, CancellationToken cancellationToken = default);

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
    /// <remarks>
    /// It finds the card by id alone: on a database distributed by run (Citus) its statements go to every shard. Where
    /// the run is known, <see cref="UpdateStatusAsync(Guid, Guid, CardStatus, int, CancellationToken)"/> goes to the run's shard only.
    /// </remarks>
    Task<int> UpdateStatusAsync(Guid id, CardStatus status, int expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="UpdateStatusAsync(Guid, CardStatus, int, CancellationToken)"/> for the card <paramref name="id"/> of the
    /// run <paramref name="runId"/>: the same change, run-log entry, retry and errors, with every statement (the update,
    /// its log entry, the look-ups that explain a failure) naming the run, so that on a database distributed by run
    /// (Citus) it goes to the run's shard alone. A card of another run is treated as a missing card.
    /// </summary>
    /// <param name="runId">The card's run; must not be <see cref="Guid.Empty"/>.</param>
    /// <param name="id">The card.</param>
    /// <param name="status">The new status; must be defined.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new version.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is <see cref="Guid.Empty"/>; nothing was sent.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a defined value; nothing was sent.</exception>
    /// <exception cref="ConcurrencyConflictException">The stored version differs; nothing was changed.</exception>
    /// <exception cref="EntityNotFoundException">No card of the run <paramref name="runId"/> has this id (it may be another run's).</exception>
    Task<int> UpdateStatusAsync(Guid runId, Guid id, CardStatus status, int expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies many versioned status changes in one transaction, set-based: the changes are streamed (never buffered,
    /// any number) into the database, the matching rows are locked in id order (so overlapping batches of different
    /// workers cannot deadlock), each change applies only when the row's stored version is its expected version, each
    /// applied change raises the version by one and writes its <see cref="RunEventKinds.CardStatusChanged"/> run-log entry in the same transaction.
    /// Each change is validated as it streams: an empty id, an undefined status, an invalid message or the same id twice
    /// fail the call with <see cref="BatchValidationException"/> (position and field) and change nothing. Zero changes is
    /// a no-op that opens no connection. Round trips are constant per call on a server (see docs/status-changes.md).
    /// </summary>
    /// <param name="changes">The changes: id, expected version, new status, optional run-log message.</param>
    /// <param name="options">The mode (default <see cref="StatusChangeMode.AllOrNothing"/>) and the time allowed for the whole call (<see cref="StatusChangeOptions.Timeout"/>, default no limit; not <see cref="RunEngineOptions.CommandTimeout"/>).</param>
    /// <param name="cancellationToken">Cancels the call; nothing of the batch is changed.</param>
    /// <returns>How many rows changed, and (with <see cref="StatusChangeMode.ApplyWhatMatches"/>) the conflicts and missing ids.</returns>
    /// <exception cref="BatchValidationException">A change is invalid or repeats an id; nothing was changed.</exception>
    /// <exception cref="StatusChangeConflictException">All or nothing: some changes conflict or name missing ids (listed); nothing was changed.</exception>
    /// <remarks>
    /// It finds the cards by id alone. On a database distributed by run (Citus, which takes row locks in single-shard
    /// statements only) it first reads the runs of the staged ids from every shard, then locks each run's rows and
    /// changes them with one run-scoped statement per run (runs in Guid order), in the call's one transaction, with the
    /// same result as one statement: counts summed, conflicts and missing ids in id order, all or nothing decided over
    /// the whole batch before anything is changed. Where the run is known,
    /// <see cref="UpdateStatusesAsync(Guid, IEnumerable{StatusChange{CardStatus}}, StatusChangeOptions?, CancellationToken)"/>
    /// goes to the run's shard only, without the look-up.
    /// </remarks>
    Task<StatusChangeResult> UpdateStatusesAsync(IEnumerable<StatusChange<CardStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="UpdateStatusesAsync(IEnumerable{StatusChange{CardStatus}}, StatusChangeOptions?, CancellationToken)"/>
    Task<StatusChangeResult> UpdateStatusesAsync(IAsyncEnumerable<StatusChange<CardStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="UpdateStatusesAsync(IEnumerable{StatusChange{CardStatus}}, StatusChangeOptions?, CancellationToken)"/> for
    /// cards of the run <paramref name="runId"/>: the same modes, validation, locking, run-log entries, retry and result,
    /// with every statement (the stage's join to the cards, the update, its log entries, the look-ups of a repeat)
    /// naming the run, so that on a database distributed by run (Citus) it goes to the run's shard alone. A change of a
    /// card of another run is reported in <see cref="StatusChangeResult.Missing"/> (in all-or-nothing mode it fails the
    /// batch, as a missing id does) and changes nothing.
    /// </summary>
    /// <param name="runId">The run of the cards; must not be <see cref="Guid.Empty"/>.</param>
    /// <param name="changes">The changes: id, expected version, new status, optional run-log message.</param>
    /// <param name="options">The mode (default <see cref="StatusChangeMode.AllOrNothing"/>) and the time allowed for the whole call (<see cref="StatusChangeOptions.Timeout"/>, default no limit).</param>
    /// <param name="cancellationToken">Cancels the call; nothing of the batch is changed.</param>
    /// <returns>How many rows changed, and (with <see cref="StatusChangeMode.ApplyWhatMatches"/>) the conflicts and missing ids.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is <see cref="Guid.Empty"/>; nothing was read or sent.</exception>
    /// <exception cref="BatchValidationException">A change is invalid or repeats an id; nothing was changed.</exception>
    /// <exception cref="StatusChangeConflictException">All or nothing: some changes conflict or name ids missing from the run (listed); nothing was changed.</exception>
    Task<StatusChangeResult> UpdateStatusesAsync(
        Guid runId, IEnumerable<StatusChange<CardStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="UpdateStatusesAsync(Guid, IEnumerable{StatusChange{CardStatus}}, StatusChangeOptions?, CancellationToken)"/>
    Task<StatusChangeResult> UpdateStatusesAsync(
        Guid runId, IAsyncEnumerable<StatusChange<CardStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets <paramref name="status"/> on every card of the stories <paramref name="storyIds"/> whose status is one of
    /// <paramref name="from"/> ("every card of these stories that is still Pending or InProgress becomes Cancelled"),
    /// raising each changed row's version by one and writing one <see cref="RunEventKinds.CardStatusChanged"/> run-log entry per changed row, in one
    /// transaction, set-based: one statement per table (chunked by the parameter limit on SQL Server and SQLite, one
    /// array parameter on PostgreSQL), rows locked in id order where the provider allows it (see docs/status-changes.md).
    /// Unlike <see cref="UpdateStatusesAsync(IEnumerable{StatusChange{CardStatus}}, StatusChangeOptions?, CancellationToken)"/> it checks no versions:
    /// the status filter is the condition. Rows of other parents, or in other statuses, are untouched. The arguments are
    /// checked before anything is sent; zero story ids is a no-op that opens no connection.
    /// </summary>
    /// <param name="storyIds">The stories whose cards change (repeats are ignored); must not hold <see cref="Guid.Empty"/>.</param>
    /// <param name="from">The statuses a card must have to change; at least one, each defined. It may hold <paramref name="status"/> (such cards get a new version and entry too).</param>
    /// <param name="status">The new status; must be defined.</param>
    /// <param name="message">
    /// The run-log message of every changed card. Default null: the single-row call's message ("status set to Cancelled
    /// (version 3)"). At most <see cref="RunEngineLimits.EventMessageMaxLength"/> UTF-16 code units, under the library's text rule.
    /// </param>
    /// <param name="cancellationToken">Cancels the call; nothing of it is changed.</param>
    /// <returns>The number of cards changed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="storyIds"/> or <paramref name="from"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="from"/> or <paramref name="status"/> holds an undefined value; nothing was sent.</exception>
    /// <exception cref="ArgumentException"><paramref name="from"/> is empty, <paramref name="storyIds"/> holds <see cref="Guid.Empty"/>, or <paramref name="message"/> breaks the text rule; nothing was sent.</exception>
    /// <remarks>
    /// It reads the stories' runs from the stories. On one server that is one statement with the change. On a database
    /// distributed by run (Citus, which takes row locks in single-shard statements only) the look-up of the runs reads
    /// every shard, then the cards change with one run-scoped statement per run (runs in Guid order, each with its run's
    /// stories); several runs go in one transaction (the caller's, or one of the library's own), and the count is the
    /// sum. Where the run is known,
    /// <see cref="UpdateStatusByStoryAsync(Guid, IEnumerable{Guid}, IReadOnlyCollection{CardStatus}, CardStatus, string?, CancellationToken)"/>
    /// goes to the run's shard only, without the look-up.
    /// </remarks>
    Task<long> UpdateStatusByStoryAsync(
        IEnumerable<Guid> storyIds, IReadOnlyCollection<CardStatus> from, CardStatus status, string? message = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="UpdateStatusByStoryAsync(IEnumerable{Guid}, IReadOnlyCollection{CardStatus}, CardStatus, string?, CancellationToken)"/>
    /// for stories of the run <paramref name="runId"/>: the same filter, versions, run-log entries, locking and retry, with
    /// every statement naming the run (the cards are found by their run and story, the stories table is not read), so
    /// that on a database distributed by run (Citus) it goes to the run's shard alone. A story of another run (or no
    /// story) has no cards in this run: nothing of it changes and nothing is counted.
    /// </summary>
    /// <param name="runId">The run of the stories; must not be <see cref="Guid.Empty"/>.</param>
    /// <param name="storyIds">The stories whose cards change (repeats are ignored); must not hold <see cref="Guid.Empty"/>.</param>
    /// <param name="from">The statuses a card must have to change; at least one, each defined. It may hold <paramref name="status"/>.</param>
    /// <param name="status">The new status; must be defined.</param>
    /// <param name="message">The run-log message of every changed card; default null: the single-row call's message.</param>
    /// <param name="cancellationToken">Cancels the call; nothing of it is changed.</param>
    /// <returns>The number of cards of the run changed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="storyIds"/> or <paramref name="from"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="from"/> or <paramref name="status"/> holds an undefined value; nothing was sent.</exception>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is <see cref="Guid.Empty"/>, <paramref name="from"/> is empty, <paramref name="storyIds"/> holds <see cref="Guid.Empty"/>, or <paramref name="message"/> breaks the text rule; nothing was sent.</exception>
    Task<long> UpdateStatusByStoryAsync(
        Guid runId, IEnumerable<Guid> storyIds, IReadOnlyCollection<CardStatus> from, CardStatus status, string? message = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes every card of a run.</summary>
    /// <returns>The number of cards deleted.</returns>
    Task<long> DeleteByRunAsync(Guid runId, CancellationToken cancellationToken = default);
}
