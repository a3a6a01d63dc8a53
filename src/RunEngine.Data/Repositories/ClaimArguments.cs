using System.Globalization;

namespace RunEngine.Data.Repositories;

/// <summary>Argument checks of <see cref="IStoryClaims"/>, with messages that say the accepted range.</summary>
internal static class ClaimArguments
{
    /// <summary>The most stories one claim may take: 1,000.</summary>
    public const int MaxStoriesPerClaim = 1_000;

    public static void CheckRun(Guid runId)
    {
        if (runId == Guid.Empty)
        {
            throw new ArgumentException("runId must not be Guid.Empty.", nameof(runId));
        }
    }

    public static void CheckWorker(string workerId)
    {
        if (string.IsNullOrWhiteSpace(workerId) || workerId.Length > RunEngineLimits.WorkerIdMaxLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"workerId must be 1 to {RunEngineLimits.WorkerIdMaxLength} characters and not white space."),
                nameof(workerId));
        }
    }

    public static void CheckMax(int maxStories)
    {
        if (maxStories is < 1 or > MaxStoriesPerClaim)
        {
            throw new ArgumentOutOfRangeException(nameof(maxStories), maxStories, $"maxStories must be between 1 and {MaxStoriesPerClaim}.");
        }
    }

    public static void CheckLease(TimeSpan lease)
    {
        if (lease <= TimeSpan.Zero || lease > TimeSpan.FromDays(7))
        {
            throw new ArgumentOutOfRangeException(nameof(lease), lease, "lease must be positive and at most 7 days.");
        }
    }
}
