using System.Globalization;
using RunEngine.Data.Validation;

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

    /// <summary>
    /// The longest <c>message</c> <see cref="IStoryClaims.CompleteAsync"/> accepts, in UTF-16 code units: 3,989. The run
    /// log stores "{result}: {message}" in its 4,000-unit message column, and the longest final status name
    /// (Completed, Cancelled) takes 11 of them; the limit is the same whatever the result, so callers can rely on it.
    /// </summary>
    public static readonly int CompletionMessageMaxLength =
        RunEngineLimits.EventMessageMaxLength - (Enum.GetNames<StoryStatus>().Where(n => n != nameof(StoryStatus.InProgress)).Max(n => n.Length) + 2);

    /// <summary>A worker id: 1 to 200 UTF-16 code units, not white space, and the text rule (no NUL, no unpaired surrogate).</summary>
    public static void CheckWorker(string workerId) => CheckWorker(workerId, nameof(workerId), nameof(workerId));

    /// <summary>The worker id of a caller's <see cref="StoryClaim"/>, which a caller can build or copy with any value.</summary>
    public static void CheckClaim(StoryClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (claim.Story is null)
        {
            throw new ArgumentException("claim.Story must not be null.", nameof(claim));
        }

        CheckWorker(claim.WorkerId, nameof(claim), "claim.WorkerId");
    }

    /// <summary>A completion message: null, or the text rule within <see cref="CompletionMessageMaxLength"/>.</summary>
    public static void CheckCompletionMessage(string? message)
    {
        if (message is not null)
        {
            TextRule.ThrowIfInvalid(message, nameof(message), CompletionMessageMaxLength);
        }
    }

    private static void CheckWorker(string? workerId, string parameter, string subject)
    {
        if (string.IsNullOrWhiteSpace(workerId))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{subject} must be 1 to {RunEngineLimits.WorkerIdMaxLength} UTF-16 code units long and not white space."),
                parameter);
        }

        TextRule.ThrowIfInvalid(workerId, parameter, RunEngineLimits.WorkerIdMaxLength, subject);
    }

    /// <summary>
    /// Checks a batch of claims before anything is sent: each item as the single-claim call checks it (an
    /// <see cref="ArgumentException"/> that names the position, with the single check's exception inside), at most
    /// <see cref="MaxStoriesPerClaim"/> items, and no story twice.
    /// </summary>
    public static IReadOnlyList<(Providers.LeaseStep Step, string? Message)> CheckBatch<T>(
        IEnumerable<T> items, string parameter, Func<T, string, (Providers.LeaseStep Step, string? Message)> check)
    {
        ArgumentNullException.ThrowIfNull(items, parameter);
        var steps = new List<(Providers.LeaseStep Step, string? Message)>();
        var positions = new Dictionary<Guid, int>();
        foreach (var item in items)
        {
            var position = steps.Count;
            if (position == MaxStoriesPerClaim)
            {
                throw new ArgumentOutOfRangeException(parameter, $"A batch holds at most {MaxStoriesPerClaim} claims.");
            }

            var subject = string.Create(CultureInfo.InvariantCulture, $"{parameter}[{position}]");
            (Providers.LeaseStep Step, string? Message) step;
            try
            {
                step = check(item, subject);
            }
            catch (ArgumentOutOfRangeException ex) when (!ex.Message.StartsWith(subject, StringComparison.Ordinal))
            {
                // The single call's exception type (a message over its length), with the position in front.
                throw new ArgumentOutOfRangeException(parameter, $"{subject}: {ex.Message}");
            }
            catch (ArgumentException ex) when (ex is not ArgumentOutOfRangeException && !ex.Message.StartsWith(subject, StringComparison.Ordinal))
            {
                throw new ArgumentException($"{subject}: {ex.Message}", parameter, ex);
            }

            if (!positions.TryAdd(step.Step.Claim.StoryId, position))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{subject}: Story {step.Step.Claim.StoryId} is already at position {positions[step.Step.Claim.StoryId]} of this batch."),
                    parameter);
            }

            steps.Add(step);
        }

        return steps;
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
