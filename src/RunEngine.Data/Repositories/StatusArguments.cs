namespace RunEngine.Data.Repositories;

/// <summary>
/// Argument checks of the status updates: only a defined enum value is sent, so a stored status is always one that
/// readers, progress counts and claims understand (batches and <see cref="IStoryClaims.CompleteAsync"/> check the same).
/// </summary>
internal static class StatusArguments
{
    /// <summary>The run of a run-scoped call: <see cref="Guid.Empty"/> names no run, and is rejected before anything is sent.</summary>
    public static void CheckRun(Guid runId)
    {
        if (runId == Guid.Empty)
        {
            throw new ArgumentException("runId must name a run (it is Guid.Empty).", nameof(runId));
        }
    }

    public static void Check(StoryStatus status)
    {
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "status must be a defined StoryStatus value.");
        }
    }

    public static void Check(CardStatus status)
    {
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "status must be a defined CardStatus value.");
        }
    }
}
