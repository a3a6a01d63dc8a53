using System.Data.Common;

namespace RunEngine.Data.Demo;

/// <summary>Turns a failure into one line for the user, with the connection string and its password scrubbed out.</summary>
internal static class FailureMessage
{
    public static string Describe(Exception exception, string? connectionString)
    {
        var text = exception switch
        {
            BatchValidationException or ConcurrencyConflictException or SchemaException => $"RunEngine.Data rejected the run: {exception.Message}",
            RunEngineDataException => $"RunEngine.Data error: {exception.Message}",
            DbException => $"Database error ({exception.GetType().Name}): {exception.Message}",
            _ => $"{exception.GetType().Name}: {exception.Message}",
        };
        return Scrub(text, connectionString);
    }

    private static string Scrub(string text, string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return text;
        }

        text = text.Replace(connectionString, "<connection string>", StringComparison.Ordinal);
        foreach (var secret in Secrets(connectionString))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private static IEnumerable<string> Secrets(string connectionString)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // Unparseable: nothing more to find; the whole string was already scrubbed.
            yield break;
        }

        foreach (var key in new[] { "password", "pwd" })
        {
            if (builder.TryGetValue(key, out var value) && value is string { Length: > 0 } secret)
            {
                yield return secret;
            }
        }
    }
}
