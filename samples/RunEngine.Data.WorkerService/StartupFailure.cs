using System.Data.Common;

namespace RunEngine.Data.WorkerService;

/// <summary>
/// Turns what stopped the host into one line for the user: no stack trace, and the connection string and its password
/// scrubbed out should a driver ever quote them.
/// </summary>
internal static class StartupFailure
{
    public static string Describe(Exception exception, string? connectionString)
    {
        exception = Unwrap(exception);
        var text = exception switch
        {
            // Configuration binding: "Failed to convert configuration value 'abc' at 'Worker:Lease' to type ...".
            InvalidOperationException when exception.InnerException is FormatException or ArgumentException => $"Invalid settings: {exception.Message}",
            RunEngineDataException => $"RunEngine.Data error: {exception.Message}",
            DbException => $"Database error ({exception.GetType().Name}): {exception.Message}",
            _ => $"{exception.GetType().Name}: {exception.Message}",
        };
        return Scrub(text, connectionString);
    }

    private static Exception Unwrap(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : exception;

    private static string Scrub(string text, string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return text;
        }

        text = text.Replace(connectionString, "<connection string>", StringComparison.Ordinal);
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // Unparsable: the whole string was already scrubbed.
            return text;
        }

        foreach (var key in new[] { "password", "pwd" })
        {
            if (builder.TryGetValue(key, out var value) && value is string { Length: > 0 } secret)
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }
}
