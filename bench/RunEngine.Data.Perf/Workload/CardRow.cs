namespace RunEngine.Data.Perf.Workload;

/// <summary>A card's column values, pre-built for the raw-limit methods (database-ready: UTC, microseconds).</summary>
internal readonly record struct CardRow(
    Guid Id, Guid RunId, Guid StoryId, int Position, string Title, string? Description, short Status, int Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Metadata);
