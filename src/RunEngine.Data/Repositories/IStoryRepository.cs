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
    /// <remarks>
    /// The run is not known, so on a database distributed by run (PostgreSQL with
    /// <c>PostgreSqlDistribution.Citus</c>) the look-up touches every shard; when the run is known, use
    /// <see cref="GetAsync(Guid, Guid, CancellationToken)"/>, which reads the run's shard alone.
    /// </remarks>
    Task<Story?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns the story with <paramref name="id"/> of the run <paramref name="runId"/>, or null; a story of another run
    /// is not found, exactly as a missing one. One primary-key read; on a database distributed by run it goes to the
    /// run's shard alone. Retried on a transient error, as <see cref="GetAsync(Guid, CancellationToken)"/>.
    /// </summary>
    /// <param name="runId">The story's run; must not be <see cref="Guid.Empty"/>.</param>
    /// <param name="id">The story's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The story, or null when the run has no story with this id.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is <see cref="Guid.Empty"/>; nothing was sent.</exception>
    Task<Story?> GetAsync(Guid runId, Guid id, CancellationToken cancellationToken = default);

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
    /// <remarks>
    /// It finds the story by id alone: on a database distributed by run (Citus) its statements go to every shard. Where
    /// the run is known, <see cref="UpdateStatusAsync(Guid, Guid, StoryStatus, int, CancellationToken)"/> goes to the run's shard only.
    /// </remarks>
    Task<int> UpdateStatusAsync(Guid id, StoryStatus status, int expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="UpdateStatusAsync(Guid, StoryStatus, int, CancellationToken)"/> for the story <paramref name="id"/> of the
    /// run <paramref name="runId"/>: the same change, claim rule, run-log entry, retry and errors, with every statement
    /// (the update, its log entry, the look-ups that explain a failure) naming the run, so that on a database distributed
    /// by run (Citus) it goes to the run's shard alone. A story of another run is treated as a missing story.
    /// </summary>
    /// <param name="runId">The story's run; must not be <see cref="Guid.Empty"/>.</param>
    /// <param name="id">The story.</param>
    /// <param name="status">The new status; must be defined.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new version.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is <see cref="Guid.Empty"/>; nothing was sent.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a defined value; nothing was sent.</exception>
    /// <exception cref="ConcurrencyConflictException">The stored version differs; nothing was changed.</exception>
    /// <exception cref="EntityNotFoundException">No story of the run <paramref name="runId"/> has this id (it may be another run's).</exception>
    Task<int> UpdateStatusAsync(Guid runId, Guid id, StoryStatus status, int expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies many versioned status changes in one transaction, set-based: the changes are streamed (never buffered,
    /// any number) into the database, the matching rows are locked in id order (so overlapping batches of different
    /// workers cannot deadlock), each change applies only when the row's stored version is its expected version, each
    /// applied change raises the version by one and writes its <see cref="RunEventKinds.StoryStatusChanged"/> run-log entry in the same transaction. Stories follow the claim rule of
    /// <see cref="UpdateStatusAsync(Guid, StoryStatus, int, CancellationToken)"/>: <see cref="StoryStatus.InProgress"/> keeps a lease, any other status ends the claim.
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
    /// It finds the stories by id alone. On a database distributed by run (Citus, which takes row locks in single-shard
    /// statements only) it first reads the runs of the staged ids from every shard, then locks each run's rows and
    /// changes them with one run-scoped statement per run (runs in Guid order), in the call's one transaction, with the
    /// same result as one statement: counts summed, conflicts and missing ids in id order, all or nothing decided over
    /// the whole batch before anything is changed. Where the run is known,
    /// <see cref="UpdateStatusesAsync(Guid, IEnumerable{StatusChange{StoryStatus}}, StatusChangeOptions?, CancellationToken)"/>
    /// goes to the run's shard only, without the look-up.
    /// </remarks>
    Task<StatusChangeResult> UpdateStatusesAsync(IEnumerable<StatusChange<StoryStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="UpdateStatusesAsync(IEnumerable{StatusChange{StoryStatus}}, StatusChangeOptions?, CancellationToken)"/>
    Task<StatusChangeResult> UpdateStatusesAsync(IAsyncEnumerable<StatusChange<StoryStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="UpdateStatusesAsync(IEnumerable{StatusChange{StoryStatus}}, StatusChangeOptions?, CancellationToken)"/> for
    /// stories of the run <paramref name="runId"/>: the same modes, validation, locking, run-log entries, retry and result,
    /// with every statement (the stage's join to the stories, the update, its log entries, the look-ups of a repeat)
    /// naming the run, so that on a database distributed by run (Citus) it goes to the run's shard alone. A change of a
    /// story of another run is reported in <see cref="StatusChangeResult.Missing"/> (in all-or-nothing mode it fails the
    /// batch, as a missing id does) and changes nothing.
    /// </summary>
    /// <param name="runId">The run of the stories; must not be <see cref="Guid.Empty"/>.</param>
    /// <param name="changes">The changes: id, expected version, new status, optional run-log message.</param>
    /// <param name="options">The mode (default <see cref="StatusChangeMode.AllOrNothing"/>) and the time allowed for the whole call (<see cref="StatusChangeOptions.Timeout"/>, default no limit).</param>
    /// <param name="cancellationToken">Cancels the call; nothing of the batch is changed.</param>
    /// <returns>How many rows changed, and (with <see cref="StatusChangeMode.ApplyWhatMatches"/>) the conflicts and missing ids.</returns>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is <see cref="Guid.Empty"/>; nothing was read or sent.</exception>
    /// <exception cref="BatchValidationException">A change is invalid or repeats an id; nothing was changed.</exception>
    /// <exception cref="StatusChangeConflictException">All or nothing: some changes conflict or name ids missing from the run (listed); nothing was changed.</exception>
    Task<StatusChangeResult> UpdateStatusesAsync(
        Guid runId, IEnumerable<StatusChange<StoryStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="UpdateStatusesAsync(Guid, IEnumerable{StatusChange{StoryStatus}}, StatusChangeOptions?, CancellationToken)"/>
    Task<StatusChangeResult> UpdateStatusesAsync(
        Guid runId, IAsyncEnumerable<StatusChange<StoryStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets <paramref name="status"/> on every story of the runs <paramref name="runIds"/> whose status is one of
    /// <paramref name="from"/> ("every story of this run that is still Pending or Ready becomes Cancelled"),
    /// raising each changed row's version by one and writing one <see cref="RunEventKinds.StoryStatusChanged"/> run-log entry per changed row, in one
    /// transaction, set-based: one statement per table (chunked by the parameter limit on SQL Server and SQLite, one
    /// array parameter on PostgreSQL), rows locked in id order where the provider allows it (see docs/status-changes.md).
    /// Unlike <see cref="UpdateStatusesAsync(IEnumerable{StatusChange{StoryStatus}}, StatusChangeOptions?, CancellationToken)"/> it checks no versions:
    /// the status filter is the condition. Rows of other parents, or in other statuses, are untouched. The arguments are
    /// checked before anything is sent; zero run ids is a no-op that opens no connection.
    /// Stories follow the claim rule of <see cref="UpdateStatusAsync(Guid, StoryStatus, int, CancellationToken)"/>: <see cref="StoryStatus.InProgress"/> keeps a
    /// lease, any other status ends the claim (and the holder's claim is lost, as the version changes).
    /// </summary>
    /// <param name="runIds">The runs whose stories change (repeats are ignored); must not hold <see cref="Guid.Empty"/>.</param>
    /// <param name="from">The statuses a story must have to change; at least one, each defined. It may hold <paramref name="status"/>.</param>
    /// <param name="status">The new status; must be defined.</param>
    /// <param name="message">
    /// The run-log message of every changed story. Default null: the single-row call's message ("status set to Cancelled
    /// (version 3)"). At most <see cref="RunEngineLimits.EventMessageMaxLength"/> UTF-16 code units, under the library's text rule.
    /// </param>
    /// <param name="cancellationToken">Cancels the call; nothing of it is changed.</param>
    /// <returns>The number of stories changed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runIds"/> or <paramref name="from"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="from"/> or <paramref name="status"/> holds an undefined value; nothing was sent.</exception>
    /// <exception cref="ArgumentException"><paramref name="from"/> is empty, <paramref name="runIds"/> holds <see cref="Guid.Empty"/>, or <paramref name="message"/> breaks the text rule; nothing was sent.</exception>
    /// <remarks>
    /// On a database distributed by run (Citus, which takes row locks in single-shard statements only) it sends one
    /// statement per run (runs in Guid order), each on its run's shard; several runs go in one transaction (the caller's,
    /// or one of the library's own), so the call is stored whole or not at all.
    /// </remarks>
    Task<long> UpdateStatusByRunAsync(
        IEnumerable<Guid> runIds, IReadOnlyCollection<StoryStatus> from, StoryStatus status, string? message = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes every card, then every story, then the run log of a run, in one transaction.</summary>
    Task<RunDeletionResult> DeleteRunAsync(Guid runId, CancellationToken cancellationToken = default);
}
