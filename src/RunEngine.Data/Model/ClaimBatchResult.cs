namespace RunEngine.Data;

/// <summary>
/// The result of a batch lease transition (<see cref="IStoryClaims.CompleteManyAsync"/>,
/// <see cref="IStoryClaims.RenewManyAsync"/>, <see cref="IStoryClaims.ReleaseManyAsync"/>): one
/// <see cref="ClaimOutcome"/> per claim, in the order the claims were passed. A lost lease is reported here, never thrown.
/// </summary>
public sealed class ClaimBatchResult
{
    internal ClaimBatchResult(IReadOnlyList<ClaimOutcome> outcomes)
    {
        Outcomes = outcomes;
        Lost = outcomes.Where(o => !o.Succeeded).ToArray();
        Succeeded = outcomes.Count - Lost.Count;
    }

    internal static ClaimBatchResult Empty { get; } = new([]);

    /// <summary>One outcome per claim, in the order passed.</summary>
    public IReadOnlyList<ClaimOutcome> Outcomes { get; }

    /// <summary>How many transitions were applied.</summary>
    public int Succeeded { get; }

    /// <summary>The claims whose lease was lost (nothing changed for them), in the order passed; empty when every one was applied.</summary>
    public IReadOnlyList<ClaimOutcome> Lost { get; }
}
