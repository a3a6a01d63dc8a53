using Microsoft.Extensions.Logging;

namespace RunEngine.Data.IntegrationTests.Diagnostics;

/// <summary>One log event as the library emitted it.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> State)
{
    /// <summary>The value of one structured property.</summary>
    public object? this[string name] => State.TryGetValue(name, out var value) ? value : null;
}
