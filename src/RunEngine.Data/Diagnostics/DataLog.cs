using Microsoft.Extensions.Logging;

namespace RunEngine.Data.Diagnostics;

/// <summary>
/// The library's log events (category <see cref="RunEngineTelemetry.LoggerCategory"/>, event ids 1000 to 1099). They
/// carry counts, table names, ids, positions and field names; never a connection string, and never a row's content.
/// </summary>
internal static partial class DataLog
{
    [LoggerMessage(EventId = 1000, EventName = "SchemaScriptApplied", Level = LogLevel.Information,
        Message = "Applied {Provider} schema script {Version} ({Description}) to schema {Schema}")]
    public static partial void SchemaScriptApplied(ILogger logger, string provider, int version, string description, string schema);

    [LoggerMessage(EventId = 1001, EventName = "SchemaUpToDate", Level = LogLevel.Debug,
        Message = "{Provider} schema {Schema} is at version {Version}")]
    public static partial void SchemaUpToDate(ILogger logger, string provider, string schema, int version);

    /// <summary>Durations are logged in milliseconds rounded to 0.1 ms: a timer's last digits are noise to a reader.</summary>
    public static void TableWritten(ILogger logger, long inserted, string table, long skipped, double elapsedMilliseconds)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var rounded = Math.Round(elapsedMilliseconds, 1);
            TableWrittenCore(logger, inserted, table, skipped, rounded);
        }
    }

    [LoggerMessage(EventId = 1010, EventName = "TableWritten", Level = LogLevel.Debug,
        Message = "Wrote to {Table}: inserted {Inserted}, already present {Skipped}, in {ElapsedMilliseconds} ms")]
    private static partial void TableWrittenCore(ILogger logger, long inserted, string table, long skipped, double elapsedMilliseconds);

    [LoggerMessage(EventId = 1011, EventName = "BatchRejected", Level = LogLevel.Warning,
        Message = "{Entity} batch for {Table} rejected at position {Position}, field {Field}; nothing of the batch was written")]
    public static partial void BatchRejected(ILogger logger, string entity, string table, long? position, string field);

    [LoggerMessage(EventId = 1012, EventName = "BatchFailed", Level = LogLevel.Warning,
        Message = "Bulk write to {Table} failed with {ErrorType}; nothing of the batch was written")]
    public static partial void BatchFailed(ILogger logger, string table, string errorType);

    /// <summary>Logs a written cycle; the duration rounded to 0.1 ms like <see cref="TableWritten"/>.</summary>
    public static void CycleWritten(
        ILogger logger, long stories, long cards, long events, long storiesSkipped, long cardsSkipped, double elapsedMilliseconds)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var rounded = Math.Round(elapsedMilliseconds, 1);
            CycleWrittenCore(logger, stories, cards, events, storiesSkipped, cardsSkipped, rounded);
        }
    }

    // Counts after their labels ("stories 1"), so that no count reads "1 stories".
    [LoggerMessage(EventId = 1013, EventName = "CycleWritten", Level = LogLevel.Information,
        Message = "Cycle written: stories {Stories}, cards {Cards}, run-log entries {Events} (already present: stories {StoriesSkipped}, cards {CardsSkipped}) in {ElapsedMilliseconds} ms")]
    private static partial void CycleWrittenCore(
        ILogger logger, long stories, long cards, long events, long storiesSkipped, long cardsSkipped, double elapsedMilliseconds);

    [LoggerMessage(EventId = 1020, EventName = "ConcurrencyConflict", Level = LogLevel.Warning,
        Message = "{Entity} {Id} was not updated: expected version {ExpectedVersion}, stored version {ActualVersion}")]
    public static partial void ConcurrencyConflict(ILogger logger, string entity, Guid id, int expectedVersion, int actualVersion);

    [LoggerMessage(EventId = 1030, EventName = "StoriesClaimed", Level = LogLevel.Debug,
        Message = "Worker {Worker} claimed {Count} stories of run {RunId} until {LeaseExpiresAt}")]
    public static partial void StoriesClaimed(ILogger logger, string worker, int count, Guid runId, DateTimeOffset leaseExpiresAt);

    [LoggerMessage(EventId = 1031, EventName = "LeaseTransition", Level = LogLevel.Debug,
        Message = "Worker {Worker}: {Transition} of story {StoryId} done")]
    public static partial void LeaseTransition(ILogger logger, string worker, string transition, Guid storyId);

    [LoggerMessage(EventId = 1032, EventName = "LeaseLost", Level = LogLevel.Warning,
        Message = "Worker {Worker} no longer holds the lease on story {StoryId} ({Transition} refused): {Reason}")]
    public static partial void LeaseLost(ILogger logger, string worker, Guid storyId, string transition, string reason);

    [LoggerMessage(EventId = 1040, EventName = "OperationRetried", Level = LogLevel.Warning,
        Message = "Retrying {Provider} {Operation} (attempt {Attempt}) after a transient {ErrorType} ({Reason}); earlier attempt may have committed: {EarlierMayHaveCommitted}")]
    public static partial void OperationRetried(
        ILogger logger, string provider, string operation, int attempt, string errorType, string reason, bool earlierMayHaveCommitted);

    [LoggerMessage(EventId = 1041, EventName = "OperationGaveUp", Level = LogLevel.Warning,
        Message = "{Provider} {Operation} gave up after {Attempts} attempts on a transient {ErrorType} ({Reason}); commit outcome unknown: {CommitOutcomeUnknown}")]
    public static partial void OperationGaveUp(
        ILogger logger, string provider, string operation, int attempts, string errorType, string reason, bool commitOutcomeUnknown);
}
