namespace RunEngine.Data.Perf.Faults;

/// <summary>What a dry run of an operation sent through the proxy: bytes from the client, CopyData messages, bulk-load bytes.</summary>
internal sealed record ProxyCounts(long ClientBytes, long CopyData, long BulkLoadBytes);
