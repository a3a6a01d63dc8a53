namespace RunEngine.Data;

/// <summary>One claim to complete in <see cref="IStoryClaims.CompleteManyAsync"/>: the claim, its final status and an optional run-log message.</summary>
/// <param name="Claim">The claim, as returned by <see cref="IStoryClaims.ClaimAsync"/> or the last renewal.</param>
/// <param name="Result">The final status: a defined <see cref="StoryStatus"/> other than <see cref="StoryStatus.InProgress"/>.</param>
/// <param name="Message">
/// Optional detail for the run log, stored whole as "{Result}: {Message}", under the same rule as
/// <see cref="IStoryClaims.CompleteAsync"/>'s message (at most 3,989 UTF-16 code units, no NUL, no unpaired surrogate).
/// </param>
public sealed record ClaimCompletion(StoryClaim Claim, StoryStatus Result, string? Message = null);
