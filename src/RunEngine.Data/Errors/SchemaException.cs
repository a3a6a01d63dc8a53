namespace RunEngine.Data;

/// <summary>The database schema cannot be used or migrated (for example, it was created by a newer version of the library).</summary>
public sealed class SchemaException : RunEngineDataException
{
    /// <summary>Creates the exception.</summary>
    public SchemaException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
