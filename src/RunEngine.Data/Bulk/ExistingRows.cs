namespace RunEngine.Data;

/// <summary>How a bulk insert treats rows that already exist in the database.</summary>
public enum ExistingRows
{
    /// <summary>Reject the batch with a <see cref="BatchValidationException"/>; nothing is written.</summary>
    Fail = 0,

    /// <summary>Leave existing rows as they are and insert only the missing ones (retry-safe replays).</summary>
    Skip = 1,
}
