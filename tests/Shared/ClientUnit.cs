namespace RunEngine.Data.Testing;

/// <summary>
/// One unit of client traffic a <see cref="FaultProxy"/> passes on whole unless a fault splits it: a PostgreSQL message
/// (or startup packet), or a TDS packet (or TLS record), with what the faults look at.
/// </summary>
internal readonly record struct ClientUnit(
    int Length,
    bool IsMessageStart,
    bool IsCopyData,
    bool IsBulkLoad,
    bool IsCommit,
    Func<string, bool>? ContainsText,
    string Describe);
