namespace RunEngine.Data;

/// <summary>
/// The operation's commit was sent and its reply was lost (the connection failed right after), and the library could
/// not find out whether it is stored: the database stayed unreachable for the rest of the retries. The change may or
/// may not be stored; read it back (a cycle: its ids) or repeat it in a retry-safe form
/// (<see cref="ExistingRows.Skip"/>) once the database is reachable again.
/// </summary>
public sealed class CommitOutcomeUnknownException : TransientFaultException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed (never a connection string or row content).</param>
    /// <param name="innerException">The driver's last error.</param>
    /// <param name="attempts">How many times the operation ran.</param>
    /// <param name="operation">The operation's telemetry name.</param>
    public CommitOutcomeUnknownException(string message, Exception? innerException, int attempts, string operation)
        : base(message, innerException, attempts, operation)
    {
    }
}
