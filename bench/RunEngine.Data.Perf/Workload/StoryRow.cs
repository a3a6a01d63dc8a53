namespace RunEngine.Data.Perf.Workload;

/// <summary>A story's column values, pre-built for the raw-limit methods (database-ready: UTC, microseconds).</summary>
internal readonly record struct StoryRow(
    Guid Id, Guid RunId, int Position, string Title, string? Body, short Status, int Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Metadata, string? ClaimedBy, DateTimeOffset? LeaseExpiresAt);
