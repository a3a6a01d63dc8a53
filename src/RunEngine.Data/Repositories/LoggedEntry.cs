namespace RunEngine.Data.Repositories;

/// <summary>A stored run-log entry as a repeat reads it back by its client-made id (<see cref="RunLogProbe"/>).</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="StoryId">The story it names.</param>
/// <param name="CardId">The card it names, or null.</param>
/// <param name="OccurredAt">Its time (for a lease transition or a claim: the change's stored updated_at).</param>
/// <param name="Message">Its message.</param>
internal sealed record LoggedEntry(Guid Id, Guid StoryId, Guid? CardId, DateTimeOffset OccurredAt, string? Message);
