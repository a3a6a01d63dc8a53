namespace RunEngine.Data.Repositories;

/// <summary>
/// One call of <see cref="EntityStore{T}.UpdateStatusAsync(IScopeFactory, Guid?, Guid, short, int, CancellationToken)"/>: the caller's values and the client-made ones, made once
/// per call so that every attempt sends the same (a repeat writes the same updated_at and the same log entry id).
/// </summary>
/// <param name="Id">The row.</param>
/// <param name="Status">The new status as stored.</param>
/// <param name="ExpectedVersion">The version the caller read.</param>
/// <param name="UpdatedAt">The write time.</param>
/// <param name="EventId">The run-log entry's id: stored exactly when the change is.</param>
/// <param name="RunId">The row's run for the run-scoped form (every statement names it; a row of another run is missing), or null for the id-only form.</param>
internal sealed record SingleStatusChange(Guid Id, short Status, int ExpectedVersion, DateTimeOffset UpdatedAt, Guid EventId, Guid? RunId = null);
