namespace RunEngine.Data.Repositories;

/// <summary>
/// Argument checks of the status updates: only a defined enum value is sent, so a stored status is always one that
/// readers, progress counts and claims understand (batches and <see cref="IStoryClaims.CompleteAsync"/> check the same).
/// </summary>
internal static class StatusArguments
{
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
