namespace RunEngine.Data.Testing;

/// <summary>The operations of the fault matrix.</summary>
public enum FaultOperation
{
    /// <summary><c>WriteCycleAsync</c> with <see cref="ExistingRows.Fail"/>: stories, cards and the cycle's log entry in one transaction.</summary>
    CycleFail,

    /// <summary><c>WriteCycleAsync</c> with <see cref="ExistingRows.Skip"/>.</summary>
    CycleSkip,

    /// <summary><c>Cards.UpdateStatusesAsync</c>: one set-based change of many cards, with a log entry each.</summary>
    UpdateStatuses,

    /// <summary><c>Stories.UpdateStatusAsync</c>: one row, with its log entry.</summary>
    UpdateStatus,

    /// <summary><c>Claims.ClaimAsync</c>: leases a few ready stories, with a log entry each.</summary>
    Claim,

    /// <summary><c>Claims.CompleteManyAsync</c>: finishes a batch of held claims, with a log entry each.</summary>
    CompleteMany,
}
