namespace RunEngine.Data;

/// <summary>Workflow status of a <see cref="Story"/>. Stored as a small integer; values are stable.</summary>
public enum StoryStatus : short
{
    /// <summary>Written, not yet ready to be worked on.</summary>
    Pending = 0,

    /// <summary>Ready to be claimed by a worker.</summary>
    Ready = 1,

    /// <summary>Being worked on.</summary>
    InProgress = 2,

    /// <summary>Finished successfully.</summary>
    Completed = 3,

    /// <summary>Finished with a failure.</summary>
    Failed = 4,

    /// <summary>Abandoned.</summary>
    Cancelled = 5,
}
