namespace RunEngine.Data.IntegrationTests.Diagnostics;

/// <summary>One measurement recorded by <see cref="TelemetryCapture"/>.</summary>
public sealed record TelemetryMeasurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    /// <summary>The value of one tag, or null.</summary>
    public object? this[string tag] => Tags.TryGetValue(tag, out var value) ? value : null;
}
