using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RunEngine.Data.IntegrationTests.Diagnostics;

/// <summary>A logger factory whose loggers record every event at every level, with its structured properties.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<CapturedLog> _logs = new();

    /// <summary>Everything logged so far.</summary>
    public IReadOnlyList<CapturedLog> Logs => _logs.ToArray();

    /// <summary>The events with <paramref name="eventId"/>.</summary>
    public IReadOnlyList<CapturedLog> WithId(int eventId) => Logs.Where(l => l.EventId.Id == eventId).ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _logs);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value)
                : new Dictionary<string, object?>();
            logs.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), properties));
        }
    }
}
