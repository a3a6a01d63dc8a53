namespace RunEngine.Data;

/// <summary>What a batch lease transition did to one claim: applied, or not applied because the lease was lost.</summary>
public sealed class ClaimOutcome
{
    internal ClaimOutcome(StoryClaim claim, int? version, StoryClaim? renewed, string? lostReason)
    {
        Claim = claim;
        Version = version;
        Renewed = renewed;
        LostReason = lostReason;
    }

    /// <summary>The claim as it was passed in.</summary>
    public StoryClaim Claim { get; }

    /// <summary>The claimed story's id.</summary>
    public Guid StoryId => Claim.StoryId;

    /// <summary>Whether the transition was applied (and logged): the worker still held the lease.</summary>
    public bool Succeeded => LostReason is null;

    /// <summary>The story's new version when <see cref="Succeeded"/>; null otherwise.</summary>
    public int? Version { get; }

    /// <summary>For <see cref="IStoryClaims.RenewManyAsync"/>: the renewed claim to use from now on, when <see cref="Succeeded"/>; null otherwise.</summary>
    public StoryClaim? Renewed { get; }

    /// <summary>
    /// Why the lease is no longer the worker's (the same text as <see cref="LeaseLostException.Reason"/> from the
    /// single-claim calls) when the transition was not applied; null when it <see cref="Succeeded"/>.
    /// </summary>
    public string? LostReason { get; }
}
