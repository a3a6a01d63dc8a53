namespace RunEngine.Data.Testing;

/// <summary>Where a <see cref="WireFault"/> fires.</summary>
public enum FaultPoint
{
    /// <summary>A connection opened after arming: cut as soon as it is accepted, before any byte passes.</summary>
    Connect,

    /// <summary>The next client message on any connection: cut (or stalled) before it is passed on, so none of it arrives.</summary>
    NextMessage,

    /// <summary>After <see cref="WireFault.Count"/> bytes from the client (counted per connection from arming).</summary>
    ClientBytes,

    /// <summary>After <see cref="WireFault.Count"/> bytes from the server (counted per connection from arming).</summary>
    ServerBytes,

    /// <summary>PostgreSQL: after the k-th CopyData message from the client (<see cref="WireFault.Count"/>, from arming).</summary>
    CopyData,

    /// <summary>TDS: after <see cref="WireFault.Count"/> bytes of bulk-load packets (type 0x07) from the client.</summary>
    BulkLoadBytes,

    /// <summary>
    /// The client's COMMIT (PostgreSQL: a COMMIT statement; TDS: a transaction-manager commit request, or a SQL batch or
    /// RPC containing COMMIT). A cut passes it on, waits for the server's whole reply (so the commit is done) and drops
    /// that reply; a stall holds it before it is passed on.
    /// </summary>
    Commit,

    /// <summary>
    /// A statement whose text contains <see cref="WireFault.Text"/> (ordinal, ignoring case). A cut passes it on, waits
    /// for the server's whole reply (so an autocommit statement is done) and drops that reply; a stall holds it before
    /// it is passed on.
    /// </summary>
    Statement,

    /// <summary>Every connection open at that moment, cut at once (<see cref="FaultProxy.CutAll"/>; not armed).</summary>
    All,
}
