namespace RunEngine.Data.StatusChanges;

/// <summary>A validated change as the provider's writer sends it: the status as stored, the log entry's id and message.</summary>
internal readonly record struct StatusChangeRow(Guid Id, int ExpectedVersion, short Status, string Message, Guid EventId);
