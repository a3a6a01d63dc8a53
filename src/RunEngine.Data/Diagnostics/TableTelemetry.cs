using RunEngine.Data.Bulk;

namespace RunEngine.Data.Diagnostics;

/// <summary>What a table write and a versioned update report when they end (spans, metrics, log events).</summary>
internal static class TableTelemetry
{
    public static void Written(ProviderDiagnostics diagnostics, in OperationTelemetry telemetry, string table, TableWriteResult result)
    {
        telemetry.Succeed(result.Inserted, result.Skipped);
        Instrumentation.Batches.Add(1, telemetry.Tags(null));
        Instrumentation.RowsWritten.Add(
            result.Inserted,
            new KeyValuePair<string, object?>(TelemetryTags.DbSystemName, diagnostics.SystemName),
            new KeyValuePair<string, object?>(TelemetryTags.DbCollectionName, table));
        DataLog.TableWritten(diagnostics.Logger, result.Inserted, table, result.Skipped, telemetry.Elapsed.TotalMilliseconds);
    }

    public static void Failed(ProviderDiagnostics diagnostics, in OperationTelemetry telemetry, string table, Exception error)
    {
        var errorType = OperationTelemetry.ErrorType(error);
        telemetry.Fail(error);
        Instrumentation.Batches.Add(1, telemetry.Tags(errorType));
        if (error is BatchValidationException invalid)
        {
            DataLog.BatchRejected(diagnostics.Logger, invalid.Entity, table, invalid.Position, invalid.Field);
        }
        else if (error is not OperationCanceledException)
        {
            DataLog.BatchFailed(diagnostics.Logger, table, errorType);
        }
    }

    public static void UpdateFailed(ProviderDiagnostics diagnostics, in OperationTelemetry telemetry, Exception error)
    {
        telemetry.Fail(error);
        if (error is ConcurrencyConflictException conflict)
        {
            Instrumentation.Conflicts.Add(1, telemetry.Tags(null));
            DataLog.ConcurrencyConflict(diagnostics.Logger, conflict.Entity, conflict.Id, conflict.ExpectedVersion, conflict.ActualVersion);
        }
    }
}
