namespace RunEngine.Data.WorkerService;

/// <summary>The sample's own log events, source-generated like the library's (no work when a level is off).</summary>
internal static partial class SampleLog
{
    // The counts go with their nouns ("1 story", "3 stories") as one argument, so no line reads "1 stories".
    public static void Seeded(ILogger logger, Guid runId, int stories, int workers)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var ready = Counted.Of(stories, "ready story", "ready stories");
            var by = Counted.Workers(workers);
            Seeded(logger, runId, ready, by);
        }
    }

    public static void Claimed(ILogger logger, string worker, int count, int first)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var stories = Counted.Stories(count);
            Claimed(logger, worker, stories, first);
        }
    }

    public static void Finished(ILogger logger, string worker, int processed)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var stories = Counted.Stories(processed);
            Finished(logger, worker, stories);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Run {RunId}: {Stories} for {Workers}")]
    private static partial void Seeded(ILogger logger, Guid runId, string stories, string workers);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Worker} claimed {Stories}, first at position {First}")]
    private static partial void Claimed(ILogger logger, string worker, string stories, int first);

    public static void Renewed(ILogger logger, string worker, int renewed, int position, DateTimeOffset expires)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var leases = Counted.Of(renewed, "lease", "leases");
            Renewed(logger, worker, leases, position, expires);
        }
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Worker} renewed {Leases} of its batch (working on story {Position}) until {Expires}")]
    private static partial void Renewed(ILogger logger, string worker, string leases, int position, DateTimeOffset expires);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{Worker} released story {Position} on shutdown")]
    public static partial void Released(ILogger logger, string worker, int position);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{Worker} dropped story {Position}: {Reason}")]
    public static partial void Dropped(ILogger logger, string worker, int position, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Worker} finished after {Processed}")]
    private static partial void Finished(ILogger logger, string worker, string processed);

    public static void Progress(ILogger logger, long ready, long inProgress, long completed, long failed)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            string r = N0(ready), i = N0(inProgress), c = N0(completed), f = N0(failed);
            Progress(logger, r, i, c, f);
        }
    }

    [LoggerMessage(EventId = 7, Level = LogLevel.Information,
        Message = "Progress: {Ready} ready, {InProgress} in progress, {Completed} completed, {Failed} failed")]
    private static partial void Progress(ILogger logger, string ready, string inProgress, string completed, string failed);

    public static void Health(ILogger logger, string check, Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus status, string description)
    {
        if (status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
        {
            Healthy(logger, check, description);
        }
        else
        {
            NotHealthy(logger, check, status, description);
        }
    }

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Health check {Check}: Healthy. {Description}")]
    private static partial void Healthy(ILogger logger, string check, string description);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Health check {Check}: {Status}. {Description}")]
    private static partial void NotHealthy(ILogger logger, string check, Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus status, string description);

    private static string N0(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
