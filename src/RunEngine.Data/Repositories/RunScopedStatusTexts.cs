namespace RunEngine.Data.Repositories;

/// <summary>
/// One table's texts of the run-scoped single-row status change (<see cref="Providers.RunScopedStatusStatements"/>):
/// each names <c>run_id = @RunId</c> beside <c>@Id</c>.
/// </summary>
/// <param name="UpdateStatus">The versioned UPDATE of the row in its run.</param>
/// <param name="StatusEvent">The INSERT ... SELECT of its run-log entry, reading the row in its run.</param>
/// <param name="OneStatement">The update and its entry as one statement, or null when the provider has no such form.</param>
/// <param name="SelectVersion">The row's version in its run (none: the row is missing from the run).</param>
internal sealed record RunScopedStatusTexts(string UpdateStatus, string StatusEvent, string? OneStatement, string SelectVersion);
