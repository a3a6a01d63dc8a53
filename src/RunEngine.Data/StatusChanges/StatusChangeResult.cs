namespace RunEngine.Data;

/// <summary>What a set-based status change did.</summary>
public sealed class StatusChangeResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="changed">The number of rows changed (each got its new status, version + 1 and a run-log entry).</param>
    /// <param name="conflicts">The changes whose expected version was not the stored one, in id order.</param>
    /// <param name="missing">The ids no row has, in id order.</param>
    public StatusChangeResult(long changed, IReadOnlyList<StatusConflict> conflicts, IReadOnlyList<Guid> missing)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        ArgumentNullException.ThrowIfNull(missing);
        Changed = changed;
        Conflicts = conflicts;
        Missing = missing;
    }

    /// <summary>The result of an empty batch.</summary>
    public static StatusChangeResult None { get; } = new(0, [], []);

    /// <summary>The number of rows changed.</summary>
    public long Changed { get; }

    /// <summary>The changes not applied because of a version conflict (id, expected and actual version), in id order.</summary>
    public IReadOnlyList<StatusConflict> Conflicts { get; }

    /// <summary>The ids of the changes not applied because no row has them, in id order.</summary>
    public IReadOnlyList<Guid> Missing { get; }

    /// <summary>True when every change of the batch was applied.</summary>
    public bool AllApplied => Conflicts.Count == 0 && Missing.Count == 0;
}
