namespace RunEngine.Data.Providers;

/// <summary>Which key of a table a constraint violation concerns.</summary>
internal enum ViolatedKey
{
    /// <summary>The error did not say.</summary>
    Unknown,

    /// <summary>The primary key (id), or a unique key that includes it (stories (run_id, id)).</summary>
    Id,

    /// <summary>The natural key (<see cref="Mapping.TableMap{T}.NaturalKey"/>): a story's run and position, a card's story and position.</summary>
    NaturalKey,

    /// <summary>The foreign key to the parent table (a card's story).</summary>
    Parent,
}
