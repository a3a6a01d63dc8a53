namespace RunEngine.Data.Bulk;

/// <summary>What one table write did: rows inserted, and rows skipped because they already existed.</summary>
internal readonly record struct TableWriteResult(long Inserted, long Skipped);
