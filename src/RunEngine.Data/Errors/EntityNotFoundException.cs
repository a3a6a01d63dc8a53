namespace RunEngine.Data;

/// <summary>An operation addressed a row that does not exist.</summary>
public sealed class EntityNotFoundException : RunEngineDataException
{
    /// <summary>Creates the exception.</summary>
    public EntityNotFoundException(string entity, Guid id)
        : base($"{entity} {id} does not exist.")
    {
        Entity = entity;
        Id = id;
    }

    /// <summary>The entity name ("Story", "Card").</summary>
    public string Entity { get; }

    /// <summary>The id that was not found.</summary>
    public Guid Id { get; }
}
