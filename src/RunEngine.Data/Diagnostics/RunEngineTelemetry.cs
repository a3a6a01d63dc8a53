namespace RunEngine.Data;

/// <summary>
/// Names under which the library reports traces and metrics, for OpenTelemetry's <c>AddSource</c> and
/// <c>AddMeter</c>. Log events use the logger category <see cref="LoggerCategory"/> with event ids 1000 to 1099.
/// See <c>docs/observability.md</c> for every span, instrument, tag and event.
/// </summary>
public static class RunEngineTelemetry
{
    /// <summary>The name of the library's <see cref="System.Diagnostics.ActivitySource"/>: <c>RunEngine.Data</c>.</summary>
    public const string ActivitySourceName = "RunEngine.Data";

    /// <summary>The name of the library's <see cref="System.Diagnostics.Metrics.Meter"/>: <c>RunEngine.Data</c>.</summary>
    public const string MeterName = "RunEngine.Data";

    /// <summary>The category of the library's log events: <c>RunEngine.Data</c>.</summary>
    public const string LoggerCategory = "RunEngine.Data";
}
