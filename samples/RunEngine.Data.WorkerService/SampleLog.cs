namespace RunEngine.Data.WorkerService;

/// <summary>The sample's own log events, source-generated like the library's (no work when a level is off).</summary>
internal static partial class SampleLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Run {RunId}: {Stories} ready stories for {Workers} workers")]
    public static partial void Seeded(ILogger logger, Guid runId, int stories, int workers);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Worker} claimed {Count} stories, first at position {First}")]
    public static partial void Claimed(ILogger logger, string worker, int count, int first);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Worker} renewed the lease on story {Position} until {Expires}")]
    public static partial void Renewed(ILogger logger, string worker, int position, DateTimeOffset expires);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{Worker} released story {Position} on shutdown")]
    public static partial void Released(ILogger logger, string worker, int position);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{Worker} dropped story {Position}: {Reason}")]
    public static partial void Dropped(ILogger logger, string worker, int position, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Worker} finished after {Processed} stories")]
    public static partial void Finished(ILogger logger, string worker, int processed);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information,
        Message = "Progress: {Ready} ready, {InProgress} in progress, {Completed} completed, {Failed} failed")]
    public static partial void Progress(ILogger logger, long ready, long inProgress, long completed, long failed);
}
