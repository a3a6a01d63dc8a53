namespace RunEngine.Data.Repositories;

/// <summary>How a table's status changes are recorded in the run log.</summary>
/// <param name="Sql">The INSERT ... SELECT that reads the row's run (and story) and writes the entry.</param>
/// <param name="Kind">The event kind.</param>
/// <param name="StatusName">Names a stored status value for the message.</param>
/// <param name="OneStatement">The update and this entry as one statement (<see cref="Providers.SingleRowChanges"/>), or null.</param>
internal sealed record StatusEventTemplate(string Sql, string Kind, Func<short, string> StatusName, string? OneStatement = null)
{
    /// <summary>The texts of the run-scoped form (a call with a run id), or null for a table without one.</summary>
    public RunScopedStatusTexts? InRun { get; init; }
}
