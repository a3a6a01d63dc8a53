using RunEngine.Data.Repositories;

namespace RunEngine.Data.StatusChanges;

/// <summary>
/// A provider's set-based status change: stages the streamed changes, locks the matching rows in id order, reports
/// conflicts and missing ids, applies the matching changes (in <see cref="StatusChangeMode.AllOrNothing"/> only when
/// all match, where the protocol allows deciding it on the server) and writes their run-log entries, all inside the
/// scope's transaction. The caller commits, or rolls back when an all-or-nothing batch did not match.
/// </summary>
internal interface IStatusChangeWriter
{
    /// <param name="scope">The operation's connection and transaction.</param>
    /// <param name="table">The table and its log shape.</param>
    /// <param name="changes">The validated, streamed changes (the first one is ready).</param>
    /// <param name="options">The validated options: the mode, and the time allowed for the whole batch
    /// (<see cref="StatusChangeOptions.Timeout"/>, applied as the provider applies <see cref="BulkInsertOptions.Timeout"/>;
    /// null: no limit, not the provider's command timeout).</param>
    /// <param name="now">The batch's write time (updated_at and the log entries' time).</param>
    /// <param name="runId">
    /// The run of a run-scoped call: every statement then names <c>run_id = @RunId</c> for every table it touches, and a
    /// change of another run's row is reported missing; null for the id-only form (its texts unchanged).
    /// </param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    Task<StatusChangeOutcome> ApplyAsync(
        OperationScope scope, StatusChangeTable table, StatusChangeSource changes, StatusChangeOptions options, DateTimeOffset now, Guid? runId, CancellationToken cancellationToken);

    /// <summary>
    /// Sets <see cref="ParentStatusChange.To"/> on every row of <paramref name="table"/> whose parent is one of
    /// <see cref="ParentStatusChange.ParentIds"/> (and, when <see cref="ParentStatusChange.RunId"/> is set, whose run is
    /// it, named for every table the statements touch) and whose status is one of <see cref="ParentStatusChange.From"/>,
    /// raising each version by one and writing one run-log entry per changed row, set-based, inside the scope's
    /// transaction (the caller commits). Rows are locked in id order where the provider allows it. Runs under the
    /// provider's <see cref="RunEngineOptions.CommandTimeout"/>.
    /// </summary>
    /// <returns>The number of rows changed.</returns>
    Task<long> ApplyByParentAsync(OperationScope scope, StatusChangeTable table, ParentStatusChange change, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <see cref="ApplyByParentAsync"/> sends <paramref name="change"/> as one data-modifying statement (atomic
    /// by itself, with its log entries), so that on a connection of the library's own it can run in autocommit, without
    /// a transaction of its own (<see cref="OperationScope.Transaction"/> is then null). A writer that finds it needs
    /// several statements after all (PostgreSQL distributed by run: one per run) runs them in a transaction it begins and
    /// commits itself when the scope has none, so the change stays atomic.
    /// </summary>
    bool ByParentIsOneStatement(ParentStatusChange change);

    /// <summary>
    /// How many log entries an earlier attempt of <paramref name="change"/> stored (its count, when it committed), found
    /// by the call's own entry ids (<see cref="ParentStatusChange.EventBase"/>) in the runs the change names (<paramref name="table"/>'s
    /// parents are runs, or <see cref="ParentStatusChange.RunId"/>); null when the provider's entries carry
    /// no id of the call, so that the outcome cannot be found out.
    /// </summary>
    Task<long?> CountByParentLoggedAsync(OperationScope scope, StatusChangeTable table, ParentStatusChange change, CancellationToken cancellationToken);
}
