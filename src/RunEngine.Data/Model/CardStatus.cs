namespace RunEngine.Data;

/// <summary>Workflow status of a <see cref="Card"/>. Stored as a small integer; values are stable.</summary>
public enum CardStatus : short
{
    /// <summary>Written, not started.</summary>
    Pending = 0,

    /// <summary>Being worked on.</summary>
    InProgress = 1,

    /// <summary>Finished successfully.</summary>
    Completed = 2,

    /// <summary>Finished with a failure.</summary>
    Failed = 3,

    /// <summary>Abandoned.</summary>
    Cancelled = 4,
}
