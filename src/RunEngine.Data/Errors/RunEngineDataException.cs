namespace RunEngine.Data;

/// <summary>Base class of every exception the library raises on purpose. Messages never contain connection strings or row content.</summary>
public class RunEngineDataException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public RunEngineDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the provider's original error.</summary>
    public RunEngineDataException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
