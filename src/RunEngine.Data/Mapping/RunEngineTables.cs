namespace RunEngine.Data.Mapping;

/// <summary>The table maps of the library's own tables. Column order here is the column order of every schema script.</summary>
internal static class RunEngineTables
{
    public static TableMap<Story> Stories { get; } = new(
        "Story",
        "stories",
        [
            new TypedColumnMap<Story, Guid>("id", nameof(Story.Id), ColumnKind.Guid, (s, _) => s.Id, (s, v) => s.Id = v) { Required = true },
            new TypedColumnMap<Story, Guid>("run_id", nameof(Story.RunId), ColumnKind.Guid, (s, _) => s.RunId, (s, v) => s.RunId = v) { Required = true },
            new TypedColumnMap<Story, int>("position", nameof(Story.Position), ColumnKind.Int32, (s, _) => s.Position, (s, v) => s.Position = v) { MinValue = 0 },
            new TypedColumnMap<Story, string>("title", nameof(Story.Title), ColumnKind.Text, (s, _) => s.Title, (s, v) => s.Title = v) { Required = true, MaxLength = RunEngineLimits.TitleMaxLength },
            new TypedColumnMap<Story, string?>("body", nameof(Story.Body), ColumnKind.Text, (s, _) => s.Body, (s, v) => s.Body = v) { Nullable = true },
            new TypedColumnMap<Story, short>("status", nameof(Story.Status), ColumnKind.Int16, (s, _) => (short)s.Status, (s, v) => s.Status = (StoryStatus)v) { MinValue = 0, MaxValue = (int)StoryStatus.Cancelled },
            new TypedColumnMap<Story, int>("version", nameof(Story.Version), ColumnKind.Int32, (s, _) => s.Version, (s, v) => s.Version = v) { MinValue = 1 },
            new TypedColumnMap<Story, DateTimeOffset>("created_at", nameof(Story.CreatedAt), ColumnKind.Timestamp, (s, c) => Timestamps.OrDefault(s.CreatedAt, c.Now), (s, v) => s.CreatedAt = v),
            new TypedColumnMap<Story, DateTimeOffset>("updated_at", nameof(Story.UpdatedAt), ColumnKind.Timestamp, (s, c) => Timestamps.OrDefault(s.UpdatedAt, Timestamps.OrDefault(s.CreatedAt, c.Now)), (s, v) => s.UpdatedAt = v),
            new TypedColumnMap<Story, string?>("metadata", nameof(Story.Metadata), ColumnKind.Json, (s, _) => s.Metadata, (s, v) => s.Metadata = v) { Nullable = true },
            new TypedColumnMap<Story, string?>("claimed_by", nameof(Story.ClaimedBy), ColumnKind.Text, (s, _) => s.ClaimedBy, (s, v) => s.ClaimedBy = v) { Nullable = true, MaxLength = RunEngineLimits.WorkerIdMaxLength },
            new TypedColumnMap<Story, DateTimeOffset?>("lease_expires_at", nameof(Story.LeaseExpiresAt), ColumnKind.Timestamp, (s, _) => s.LeaseExpiresAt is { } t ? Timestamps.Normalize(t) : null, (s, v) => s.LeaseExpiresAt = v) { Nullable = true },
        ],
        static () => new Story(),
        static s => s.Id,
        static s => s.RunId)
    {
        NaturalKey = ["run_id", "position"],
    };

    public static TableMap<Card> Cards { get; } = new(
        "Card",
        "cards",
        [
            new TypedColumnMap<Card, Guid>("id", nameof(Card.Id), ColumnKind.Guid, (c, _) => c.Id, (c, v) => c.Id = v) { Required = true },
            new TypedColumnMap<Card, Guid>("run_id", nameof(Card.RunId), ColumnKind.Guid, (c, _) => c.RunId, (c, v) => c.RunId = v) { Required = true },
            new TypedColumnMap<Card, Guid>("story_id", nameof(Card.StoryId), ColumnKind.Guid, (c, _) => c.StoryId, (c, v) => c.StoryId = v) { Required = true },
            new TypedColumnMap<Card, int>("position", nameof(Card.Position), ColumnKind.Int32, (c, _) => c.Position, (c, v) => c.Position = v) { MinValue = 0 },
            new TypedColumnMap<Card, string>("title", nameof(Card.Title), ColumnKind.Text, (c, _) => c.Title, (c, v) => c.Title = v) { Required = true, MaxLength = RunEngineLimits.TitleMaxLength },
            new TypedColumnMap<Card, string?>("description", nameof(Card.Description), ColumnKind.Text, (c, _) => c.Description, (c, v) => c.Description = v) { Nullable = true },
            new TypedColumnMap<Card, short>("status", nameof(Card.Status), ColumnKind.Int16, (c, _) => (short)c.Status, (c, v) => c.Status = (CardStatus)v) { MinValue = 0, MaxValue = (int)CardStatus.Cancelled },
            new TypedColumnMap<Card, int>("version", nameof(Card.Version), ColumnKind.Int32, (c, _) => c.Version, (c, v) => c.Version = v) { MinValue = 1 },
            new TypedColumnMap<Card, DateTimeOffset>("created_at", nameof(Card.CreatedAt), ColumnKind.Timestamp, (c, x) => Timestamps.OrDefault(c.CreatedAt, x.Now), (c, v) => c.CreatedAt = v),
            new TypedColumnMap<Card, DateTimeOffset>("updated_at", nameof(Card.UpdatedAt), ColumnKind.Timestamp, (c, x) => Timestamps.OrDefault(c.UpdatedAt, Timestamps.OrDefault(c.CreatedAt, x.Now)), (c, v) => c.UpdatedAt = v),
            new TypedColumnMap<Card, string?>("metadata", nameof(Card.Metadata), ColumnKind.Json, (c, _) => c.Metadata, (c, v) => c.Metadata = v) { Nullable = true },
        ],
        static () => new Card(),
        static c => c.Id,
        static c => c.RunId,
        static c => c.StoryId,
        nameof(Card.StoryId))
    {
        // run_id leads (schema version 3): the key backs the composite foreign key (run_id, story_id) -> stories
        // (run_id, id) and a run's deletes and reads. run_id follows from story_id, so it is as strict as (story_id, position).
        NaturalKey = ["run_id", "story_id", "position"],
    };

    /// <summary>
    /// The run log. Its tables also have a database-generated <c>seq</c> column (not mapped, never written) that keeps
    /// the order events were written in.
    /// </summary>
    public static TableMap<RunEvent> RunLog { get; } = new(
        "RunEvent",
        "run_log",
        [
            new TypedColumnMap<RunEvent, Guid>("id", nameof(RunEvent.Id), ColumnKind.Guid, (e, _) => e.Id, (e, v) => e.Id = v) { Required = true },
            new TypedColumnMap<RunEvent, Guid>("run_id", nameof(RunEvent.RunId), ColumnKind.Guid, (e, _) => e.RunId, (e, v) => e.RunId = v) { Required = true },
            new TypedColumnMap<RunEvent, Guid?>("story_id", nameof(RunEvent.StoryId), ColumnKind.Guid, (e, _) => e.StoryId, (e, v) => e.StoryId = v) { Nullable = true },
            new TypedColumnMap<RunEvent, Guid?>("card_id", nameof(RunEvent.CardId), ColumnKind.Guid, (e, _) => e.CardId, (e, v) => e.CardId = v) { Nullable = true },
            new TypedColumnMap<RunEvent, string>("kind", nameof(RunEvent.Kind), ColumnKind.Text, (e, _) => e.Kind, (e, v) => e.Kind = v) { Required = true, MaxLength = RunEngineLimits.EventKindMaxLength },
            new TypedColumnMap<RunEvent, string?>("message", nameof(RunEvent.Message), ColumnKind.Text, (e, _) => e.Message, (e, v) => e.Message = v) { Nullable = true, MaxLength = RunEngineLimits.EventMessageMaxLength },
            new TypedColumnMap<RunEvent, string?>("worker", nameof(RunEvent.Worker), ColumnKind.Text, (e, _) => e.Worker, (e, v) => e.Worker = v) { Nullable = true, MaxLength = RunEngineLimits.WorkerIdMaxLength },
            new TypedColumnMap<RunEvent, DateTimeOffset>("occurred_at", nameof(RunEvent.OccurredAt), ColumnKind.Timestamp, (e, c) => Timestamps.OrDefault(e.OccurredAt, c.Now), (e, v) => e.OccurredAt = v),
        ],
        static () => new RunEvent(),
        static e => e.Id,
        static e => e.RunId)
    {
        OrderBy = ["seq"],
    };
}
