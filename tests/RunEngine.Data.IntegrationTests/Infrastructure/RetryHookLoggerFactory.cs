using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RunEngine.Data.IntegrationTests.Infrastructure;

/// <summary>
/// A logger factory that records the library's events and runs a test's action when the retry event (1040) is
/// logged — which the engine does just before the next attempt starts, on the operation's own flow. A test clears the
/// cause of a transient fault there (rolls back the transaction that held the lock), so the retry meets no fault and
/// nothing has to sleep or time anything.
/// </summary>
internal sealed class RetryHookLoggerFactory(Action? onRetry = null) : ILoggerFactory
{
    public const int RetryEventId = 1040;
    public const int GaveUpEventId = 1041;

    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> _events = new();

    /// <summary>The action run on each retry event; replaceable between calls.</summary>
    public Action? OnRetry { get; set; } = onRetry;

    public int Count(int eventId) => _events.Count(e => e.Id.Id == eventId);

    public IReadOnlyList<string> Messages(int eventId) => _events.Where(e => e.Id.Id == eventId).Select(e => e.Message).ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(RetryHookLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner._events.Enqueue((eventId, logLevel, formatter(state, exception)));
            if (eventId.Id == RetryEventId)
            {
                owner.OnRetry?.Invoke();
            }
        }
    }
}
