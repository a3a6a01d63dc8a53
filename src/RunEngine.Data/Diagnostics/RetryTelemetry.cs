using System.Diagnostics;

namespace RunEngine.Data.Diagnostics;

/// <summary>What a retry and a given-up call report: the <c>runengine.retries</c> counter, a span event, a Warning log.</summary>
internal static class RetryTelemetry
{
    /// <summary>The name of the span event added before each retry.</summary>
    public const string RetryEvent = "runengine.retry";

    /// <summary>Reports that attempt <paramref name="attempt"/> (2 or more) starts after <paramref name="error"/>.</summary>
    public static void Retrying(ProviderDiagnostics diagnostics, Activity? span, string operation, int attempt, Exception error, string reason, bool earlierMayHaveCommitted)
    {
        var errorType = OperationTelemetry.ErrorType(error);
        Instrumentation.Retries.Add(
            1,
            new KeyValuePair<string, object?>(TelemetryTags.DbSystemName, diagnostics.SystemName),
            new KeyValuePair<string, object?>(TelemetryTags.DbOperationName, operation),
            new KeyValuePair<string, object?>(TelemetryTags.ErrorType, errorType),
            new KeyValuePair<string, object?>(TelemetryTags.RetryReason, reason));
        if (span is { IsAllDataRequested: true })
        {
            span.AddEvent(new ActivityEvent(
                RetryEvent,
                tags: new ActivityTagsCollection
                {
                    { TelemetryTags.RetryAttempt, attempt },
                    { TelemetryTags.ErrorType, errorType },
                    { TelemetryTags.RetryReason, reason },
                    { TelemetryTags.EarlierMayHaveCommitted, earlierMayHaveCommitted },
                }));
        }

        DataLog.OperationRetried(diagnostics.Logger, diagnostics.SystemName, operation, attempt, errorType, reason, earlierMayHaveCommitted);
    }

    /// <summary>Reports that the call gives up on <paramref name="error"/> after <paramref name="attempts"/> attempts.</summary>
    public static void GaveUp(ProviderDiagnostics diagnostics, string operation, int attempts, Exception error, string reason, bool commitOutcomeUnknown) =>
        DataLog.OperationGaveUp(diagnostics.Logger, diagnostics.SystemName, operation, attempts, OperationTelemetry.ErrorType(error), reason, commitOutcomeUnknown);
}
