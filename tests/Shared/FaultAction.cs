namespace RunEngine.Data.Testing;

/// <summary>What a <see cref="WireFault"/> does when it fires.</summary>
public enum FaultAction
{
    /// <summary>Aborts both sockets of the connection (RST: no orderly close), so the driver sees a broken connection.</summary>
    Cut,

    /// <summary>Holds the bytes for <see cref="WireFault.Stall"/>, then passes them on.</summary>
    StallThenPass,

    /// <summary>Holds the bytes for <see cref="WireFault.Stall"/>, then cuts without passing them on.</summary>
    StallThenCut,
}
