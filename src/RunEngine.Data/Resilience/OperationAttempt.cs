namespace RunEngine.Data.Resilience;

/// <summary>
/// One attempt of a repository operation run by <see cref="OperationRetry"/>. The operation's body gets a new attempt
/// each time it runs; it calls <see cref="MarkCommitSent"/> just before it sends what makes its change durable (the
/// COMMIT of a transaction it owns, or its one autocommit write statement), so that a failure after that point is known
/// to have an unknown outcome, and the next attempt is told so through <see cref="EarlierMayHaveCommitted"/>.
/// </summary>
internal sealed class OperationAttempt
{
    public OperationAttempt(int number, bool earlierMayHaveCommitted)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        Number = number;
        EarlierMayHaveCommitted = earlierMayHaveCommitted;
    }

    /// <summary>A first (and only) attempt: nothing ran before it.</summary>
    public static OperationAttempt First => new(1, earlierMayHaveCommitted: false);

    /// <summary>1 for the first attempt, 2 for the first retry, and so on.</summary>
    public int Number { get; }

    /// <summary>Whether this attempt repeats an earlier one.</summary>
    public bool IsRetry => Number > 1;

    /// <summary>
    /// Whether an earlier attempt of the same call failed after it sent its commit (or its one autocommit write):
    /// its change may be stored. The body must then recognise its own applied change (for a cycle: its ids are
    /// present; for a status change: version = expected + 1 with the new status; for a lease: held by the same worker)
    /// as success, not as a conflict or a duplicate.
    /// </summary>
    public bool EarlierMayHaveCommitted { get; }

    /// <summary>Whether this attempt has sent its commit (set by <see cref="MarkCommitSent"/>).</summary>
    public bool CommitSent { get; private set; }

    /// <summary>Called by the body just before it sends its COMMIT or its one autocommit write statement.</summary>
    public void MarkCommitSent() => CommitSent = true;

    /// <summary>
    /// Whether the body can run again after this attempt fails: false once it has taken a row of a lazy input (an
    /// <see cref="IEnumerable{T}"/> that is no collection, an <see cref="IAsyncEnumerable{T}"/>), which cannot be read
    /// again identically. A failed attempt that sent its commit stays repeatable for the check of its outcome.
    /// </summary>
    public bool Repeatable { get; private set; } = true;

    /// <summary>Called by the body when it took a row of a lazy input (see <see cref="Repeatable"/>).</summary>
    public void MarkNotRepeatable() => Repeatable = false;

    /// <summary>Why the body cannot run again, when it said so with <see cref="MarkNotRepeatable(string)"/>; null for a lazy input already read.</summary>
    public string? NotRepeatableReason { get; private set; }

    /// <summary>
    /// Called by the body when it cannot run again for another reason than a lazy input (for example: the outcome of
    /// its earlier commit cannot be found out); <paramref name="reason"/> completes "… failed …; {reason}." in the message
    /// the call gives up with.
    /// </summary>
    public void MarkNotRepeatable(string reason)
    {
        Repeatable = false;
        NotRepeatableReason = reason;
    }

    /// <summary>
    /// Whether this attempt found out that the earlier attempts' change is not stored (set by
    /// <see cref="MarkEarlierNotStored"/>): their unknown outcome is resolved, so giving up after this attempt reports a
    /// plain transient fault rather than an unknown commit outcome (unless this attempt sent its own commit).
    /// </summary>
    public bool EarlierResolved { get; private set; }

    /// <summary>Called by a body that checked, after <see cref="EarlierMayHaveCommitted"/>, that the earlier change is not stored.</summary>
    public void MarkEarlierNotStored() => EarlierResolved = true;

    /// <summary>
    /// The transient error the previous attempt failed with (null on a first attempt): what a body rethrows when it
    /// finds it cannot go on (its earlier change is not stored, and its lazy input cannot be read again).
    /// </summary>
    public Exception? PreviousError { get; init; }
}
