namespace RunEngine.Data.Testing;

/// <summary>What a connection does with the unit at hand when a fault fires on it.</summary>
internal enum FiringKind
{
    /// <summary>Nothing fired: pass the unit on.</summary>
    None,

    /// <summary>Cut before the unit is passed on.</summary>
    CutBefore,

    /// <summary>Pass the first <see cref="FaultFiring.PassBytes"/> bytes of the unit on, then cut.</summary>
    PassThenCut,

    /// <summary>Pass the unit on, hold every reply byte, and cut once the server's whole reply arrived (dropping it).</summary>
    CutAfterReply,

    /// <summary>Hold the unit for the fault's stall, then pass it on.</summary>
    StallThenPass,

    /// <summary>Hold the unit for the fault's stall, then cut without passing it on.</summary>
    StallThenCut,
}

/// <summary>The decision for one unit of traffic: what to do, how many of its bytes pass first, which fault.</summary>
internal readonly record struct FaultFiring(FiringKind Kind, int PassBytes, WireFault? Fault)
{
    public static FaultFiring None => new(FiringKind.None, 0, null);

    /// <summary>Completed by the connection once the action is over (see <see cref="FiredFault.Done"/>).</summary>
    public TaskCompletionSource? Done { get; init; }
}
