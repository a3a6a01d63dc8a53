namespace RunEngine.Data.Providers;

/// <summary>One claim of a batch lease transition, checked: the claim and the status it ends in (ignored by renewals).</summary>
internal sealed record LeaseStep(StoryClaim Claim, StoryStatus Status);
