namespace RunEngine.Data.Repositories;

/// <summary>
/// One call of <see cref="EntityStore{T}.UpdateStatusAsync"/>: the caller's values and the client-made ones, made once
/// per call so that every attempt sends the same (a repeat writes the same updated_at and the same log entry id).
/// </summary>
/// <param name="Id">The row.</param>
/// <param name="Status">The new status as stored.</param>
/// <param name="ExpectedVersion">The version the caller read.</param>
/// <param name="UpdatedAt">The write time.</param>
/// <param name="EventId">The run-log entry's id: stored exactly when the change is.</param>
internal sealed record SingleStatusChange(Guid Id, short Status, int ExpectedVersion, DateTimeOffset UpdatedAt, Guid EventId);
