namespace RunEngine.Data.Diagnostics;

/// <summary>Tag names (OpenTelemetry database semantic conventions where one exists) and operation names.</summary>
internal static class TelemetryTags
{
    public const string DbSystemName = "db.system.name";
    public const string DbOperationName = "db.operation.name";
    public const string DbCollectionName = "db.collection.name";
    public const string DbNamespace = "db.namespace";
    public const string ErrorType = "error.type";
    public const string Rows = "runengine.rows";
    public const string RowsSkipped = "runengine.rows.skipped";
    public const string RetryReason = "runengine.retry.reason";
    public const string RetryAttempt = "runengine.retry.attempt";
    public const string EarlierMayHaveCommitted = "runengine.retry.earlier_may_have_committed";

    public const string BulkInsert = "bulk_insert";
    public const string WriteCycle = "write_cycle";
    public const string UpdateStatus = "update_status";
    public const string UpdateStatuses = "update_statuses";
    public const string Claim = "claim";
    public const string RenewLease = "renew_lease";
    public const string Complete = "complete";
    public const string Release = "release";
    public const string Migrate = "migrate";
    public const string Get = "get";
    public const string Query = "query";
    public const string RunProgress = "run_progress";
    public const string DeleteRun = "delete_run";
    public const string DeleteCards = "delete_cards";
    public const string Commit = "commit";
}
