namespace RunEngine.Data;

/// <summary>
/// A transient database error (see <see cref="RunEngineDatabase.IsTransient"/>) that the library gave up on: its
/// retries ran out or hit <see cref="RetryOptions.Timeout"/>, retry is off (<see cref="RetryOptions.Enabled"/>), or the
/// operation ran where it is never retried (a session, a joined transaction, a lazy input already read). The
/// operation's transaction was rolled back: nothing of it is stored (unless it is a
/// <see cref="CommitOutcomeUnknownException"/>). Repeating the call later may succeed.
/// </summary>
public class TransientFaultException : RunEngineDataException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed (never a connection string or row content).</param>
    /// <param name="innerException">The driver's last error.</param>
    /// <param name="attempts">How many times the operation ran.</param>
    /// <param name="operation">The operation's telemetry name (for example <c>write_cycle</c>).</param>
    public TransientFaultException(string message, Exception? innerException, int attempts, string operation)
        : base(message, innerException)
    {
        Attempts = attempts;
        Operation = operation;
    }

    /// <summary>How many times the operation ran (1 when it was not retried).</summary>
    public int Attempts { get; }

    /// <summary>The operation's telemetry name (<c>db.operation.name</c>: <c>write_cycle</c>, <c>bulk_insert</c>, <c>get</c>, ...).</summary>
    public string Operation { get; }
}
