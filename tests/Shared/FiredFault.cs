namespace RunEngine.Data.Testing;

/// <summary>A fault that fired: which, on which relayed connection (numbered from 1 in accept order), and where exactly.</summary>
/// <param name="Fault">The armed fault (<see cref="FaultProxy.CutAll"/> reports <see cref="FaultPoint.All"/>).</param>
/// <param name="Connection">The relayed connection's number.</param>
/// <param name="Detail">Where it fired, for messages: "after CopyData #3", "after COMMIT, reply of 17 bytes dropped".</param>
public sealed record FiredFault(WireFault Fault, int Connection, string Detail)
{
    /// <summary>Completes once the fault's action is over: the connection cut, or the stalled bytes passed on.</summary>
    public Task Done { get; init; } = Task.CompletedTask;
}
