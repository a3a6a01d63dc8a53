using System.Diagnostics;

namespace RunEngine.Data.Diagnostics;

/// <summary>
/// One operation's span and duration measurement. A struct started per operation (per table write, never per row);
/// without listeners it costs a timestamp and no allocation.
/// </summary>
internal readonly struct OperationTelemetry
{
    private readonly ProviderDiagnostics _diagnostics;
    private readonly string _operation;
    private readonly string? _collection;
    private readonly Activity? _activity;
    private readonly long _started;

    private OperationTelemetry(ProviderDiagnostics diagnostics, string operation, string? collection, Activity? activity)
    {
        _diagnostics = diagnostics;
        _operation = operation;
        _collection = collection;
        _activity = activity;
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Time since the start.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    public static OperationTelemetry Start(ProviderDiagnostics diagnostics, string operation, string? collection)
    {
        Activity? activity = null;
        if (Instrumentation.Source.HasListeners())
        {
            // Span name per the database conventions: "{db.operation.name} {db.collection.name}".
            activity = Instrumentation.Source.StartActivity(collection is null ? operation : $"{operation} {collection}", ActivityKind.Client);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag(TelemetryTags.DbSystemName, diagnostics.SystemName);
                activity.SetTag(TelemetryTags.DbNamespace, diagnostics.Namespace);
                activity.SetTag(TelemetryTags.DbOperationName, operation);
                if (collection is not null)
                {
                    activity.SetTag(TelemetryTags.DbCollectionName, collection);
                }
            }
        }

        return new OperationTelemetry(diagnostics, operation, collection, activity);
    }

    /// <summary>Ends the operation successfully; <paramref name="rows"/> (when known) is set on the span.</summary>
    public void Succeed(long? rows = null, long? skipped = null)
    {
        if (_activity is not null)
        {
            if (rows is not null)
            {
                _activity.SetTag(TelemetryTags.Rows, rows.Value);
            }

            if (skipped is not null)
            {
                _activity.SetTag(TelemetryTags.RowsSkipped, skipped.Value);
            }

            _activity.Dispose();
        }

        Instrumentation.OperationDuration.Record(Elapsed.TotalSeconds, Tags(null));
    }

    /// <summary>Ends the operation with an error; <c>error.type</c> is the exception's type name (never its message).</summary>
    public void Fail(Exception error)
    {
        var errorType = ErrorType(error);
        if (_activity is not null)
        {
            _activity.SetTag(TelemetryTags.ErrorType, errorType);
            _activity.SetStatus(ActivityStatusCode.Error, errorType);
            _activity.Dispose();
        }

        Instrumentation.OperationDuration.Record(Elapsed.TotalSeconds, Tags(errorType));
    }

    /// <summary>The tags shared by this operation's measurements, plus <c>error.type</c> when given.</summary>
    public TagList Tags(string? errorType)
    {
        var tags = new TagList
        {
            { TelemetryTags.DbSystemName, _diagnostics.SystemName },
            { TelemetryTags.DbOperationName, _operation },
        };
        if (_collection is not null)
        {
            tags.Add(TelemetryTags.DbCollectionName, _collection);
        }

        if (errorType is not null)
        {
            tags.Add(TelemetryTags.ErrorType, errorType);
        }

        return tags;
    }

    /// <summary>A low-cardinality error type: the exception's full type name, as OpenTelemetry recommends.</summary>
    public static string ErrorType(Exception error) => error.GetType().FullName ?? error.GetType().Name;
}
