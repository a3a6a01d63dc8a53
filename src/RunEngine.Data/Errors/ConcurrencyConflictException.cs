using System.Globalization;

namespace RunEngine.Data;

/// <summary>An update named a version that is no longer current; nothing was changed.</summary>
public sealed class ConcurrencyConflictException : RunEngineDataException
{
    /// <summary>Creates the exception.</summary>
    public ConcurrencyConflictException(string entity, Guid id, int expectedVersion, int actualVersion)
        : base(string.Create(
            CultureInfo.InvariantCulture,
            $"{entity} {id} was not updated: expected version {expectedVersion}, but the stored version is {actualVersion}."))
    {
        Entity = entity;
        Id = id;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The entity name ("Story", "Card").</summary>
    public string Entity { get; }

    /// <summary>The row's id.</summary>
    public Guid Id { get; }

    /// <summary>The version the caller expected.</summary>
    public int ExpectedVersion { get; }

    /// <summary>The version stored when the update was attempted.</summary>
    public int ActualVersion { get; }
}
