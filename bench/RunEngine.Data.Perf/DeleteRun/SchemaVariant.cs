namespace RunEngine.Data.Perf.DeleteRun;

/// <summary>The table shapes the delete-run check compares.</summary>
internal enum SchemaVariant
{
    /// <summary>Version 2 as shipped: cards FK (story_id) -> stories (id), natural key (story_id, position), index (run_id).</summary>
    Version2,

    /// <summary>Version 3: composite FK (run_id, story_id) -> stories (run_id, id), natural key (run_id, story_id, position), no (run_id) index.</summary>
    Version3,

    /// <summary>Version 3 with version 2's cards (run_id) index put back: the shape whose plan the issue reports as slow.</summary>
    Version3WithRunIndex,

    /// <summary>
    /// The composite FK of version 3 over version 2's cards indexes, (story_id, position) and (run_id): no index leads
    /// with (run_id, story_id), the configuration the issue measured (PostgreSQL only: SQLite would need a rebuild).
    /// </summary>
    CompositeKeyOverVersion2Indexes,
}
